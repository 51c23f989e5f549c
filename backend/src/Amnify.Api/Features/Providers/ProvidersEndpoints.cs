using Amnify.Api.Auth;
using Amnify.Api.Http;

namespace Amnify.Api.Features.Providers;

public static class ProvidersEndpoints
{
    public static RouteGroupBuilder MapProviders(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/providers").WithTags("Providers");
        group.MapGet("/", ListProvidersEndpoint.Handle).WithName("ListProviders").RequireAuthorization(Policies.Read).WithSummary("The cloud providers Deploy supports.").Fails<ListProviders>();
        return api;
    }
}
