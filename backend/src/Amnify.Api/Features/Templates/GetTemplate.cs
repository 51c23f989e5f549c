using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Templates;

[CanFail(FailureKind.NotFound)]
public sealed record GetTemplate(string Id) : IQuery<Result<Template>>;

public sealed class GetTemplateHandler(Db db) : IQueryHandler<GetTemplate, Result<Template>>
{
    public async ValueTask<Result<Template>> Handle(GetTemplate query, CancellationToken cancellationToken) =>
        await db.Read((c, token) => Template.Load(c, query.Id, token), cancellationToken) is { } template
            ? template
            : Failure.NotFound($"Template '{query.Id}'");
}

public static class GetTemplateEndpoint
{
    public static async Task<Results<Ok<Template>, ProblemHttpResult>> Handle(string id, ISender sender, CancellationToken ct) =>
        (await sender.Send(new GetTemplate(id), ct)).Match(TypedResults.Ok);
}
