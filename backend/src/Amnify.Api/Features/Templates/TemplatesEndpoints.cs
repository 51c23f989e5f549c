using Amnify.Api.Auth;
using Amnify.Api.Http;

namespace Amnify.Api.Features.Templates;

public static class TemplatesEndpoints
{
    public static RouteGroupBuilder MapTemplates(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/templates").WithTags("Templates");
        group.MapGet("/", ListTemplatesEndpoint.Handle).WithName("ListTemplates").RequireAuthorization(Policies.Read)
            .WithSummary("The template catalogue, filtered by provider, category and name.").Fails<ListTemplates>();
        group.MapPost("/sync", SyncTemplatesEndpoint.Handle).WithName("SyncTemplates").RequireAuthorization(Policies.Admin)
            .WithSummary("Imports the templates of the configured source; reports imported, updated, unchanged, removed and rejected.").Fails<SyncTemplates>();
        group.MapGet("/{id}", GetTemplateEndpoint.Handle).WithName("GetTemplate").RequireAuthorization(Policies.Read)
            .WithSummary("One template with its variables.").Fails<GetTemplate>();
        return api;
    }
}
