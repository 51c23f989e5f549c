using Amnify.Api.Http;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Providers;

public sealed record ListProviders : IQuery<Page<Provider>>;

public sealed class ListProvidersHandler : IQueryHandler<ListProviders, Page<Provider>>
{
    public ValueTask<Page<Provider>> Handle(ListProviders query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new Page<Provider>(CloudProviders.All, null));
}

public static class ListProvidersEndpoint
{
    public static async Task<Ok<Page<Provider>>> Handle(ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ListProviders(), ct));
}
