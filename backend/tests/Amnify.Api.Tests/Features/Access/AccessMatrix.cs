using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Amnify.Api.Tests.Features.Access;

/// <summary>A route the app serves, as "METHOD /path/{parameter}" (constraints left out), with its endpoint.</summary>
public sealed record Route(string Method, string Path, RouteEndpoint Endpoint)
{
    public string Key => $"{Method} {Path}";
}

/// <summary>
/// Who may call each route the app serves: the least role it needs, or <see cref="Anonymous"/> for the few that are
/// open to everyone. The routes come from the running app (<see cref="EndpointDataSource"/>), and a route without an
/// entry here fails <c>AccessTests</c>: a new endpoint must say who may call it before it passes, and it is then
/// authorization-tested and fuzzed like the others.
/// </summary>
public static class AccessMatrix
{
    public const string Anonymous = "anonymous";

    public static readonly string[] Ranks = ["viewer", "operator", "approver", "admin"];

    public static readonly IReadOnlyDictionary<string, string> Minimum = new Dictionary<string, string>
    {
        ["GET /healthz"] = Anonymous,
        ["GET /readyz"] = Anonymous,
        ["GET /metrics"] = Anonymous, // no user's session or token: its own Metrics:ScrapeToken (off without one)
        ["GET /swagger/{documentName}/swagger.{extension}"] = Anonymous,
        ["HEAD /swagger/{documentName}/swagger.{extension}"] = Anonymous,
        ["GET /{*path}"] = Anonymous, // the SPA's deep links
        ["HEAD /{*path}"] = Anonymous,
        ["POST /api/v1/auth/login"] = Anonymous,
        ["POST /api/v1/auth/logout"] = Anonymous,

        ["GET /api/v1/me"] = "viewer",
        ["GET /api/v1/tokens"] = "viewer",
        ["POST /api/v1/tokens"] = "viewer",
        ["DELETE /api/v1/tokens/{id}"] = "viewer",
        ["GET /api/v1/users"] = "admin",
        ["POST /api/v1/users"] = "admin",
        ["PATCH /api/v1/users/{id}"] = "admin",
        ["GET /api/v1/audit-events"] = "admin",
        ["GET /api/v1/audit-events/actions"] = "admin",

        ["GET /api/v1/providers"] = "viewer",

        ["GET /api/v1/projects"] = "viewer",
        ["POST /api/v1/projects"] = "operator",
        ["GET /api/v1/projects/{id}"] = "viewer",
        ["PATCH /api/v1/projects/{id}"] = "operator",
        ["DELETE /api/v1/projects/{id}"] = "operator",

        ["GET /api/v1/cloud-environments"] = "viewer",
        ["POST /api/v1/cloud-environments"] = "admin",
        ["GET /api/v1/cloud-environments/{id}"] = "viewer",
        ["PATCH /api/v1/cloud-environments/{id}"] = "admin",
        ["DELETE /api/v1/cloud-environments/{id}"] = "admin",

        ["GET /api/v1/templates"] = "viewer",
        ["POST /api/v1/templates/sync"] = "admin",
        ["GET /api/v1/templates/{id}"] = "viewer",

        ["GET /api/v1/deployments"] = "viewer",
        ["POST /api/v1/deployments"] = "operator",
        ["GET /api/v1/deployments/{id}"] = "viewer",
        ["PATCH /api/v1/deployments/{id}"] = "operator",
        ["DELETE /api/v1/deployments/{id}"] = "operator",

        ["POST /api/v1/deployments/{id}/runs"] = "operator",
        ["GET /api/v1/deployments/{id}/runs"] = "viewer",
        ["GET /api/v1/deployment-runs/{id}"] = "viewer",
        ["POST /api/v1/deployment-runs/{id}/approve-plan"] = "approver",
        ["POST /api/v1/deployment-runs/{id}/approve-apply"] = "approver",
        ["POST /api/v1/deployment-runs/{id}/reject"] = "approver",
        ["POST /api/v1/deployment-runs/{id}/cancel"] = "operator",
        ["GET /api/v1/deployment-runs/{id}/log"] = "viewer",
        ["GET /api/v1/deployment-runs/{id}/log/lines"] = "viewer",
        ["GET /api/v1/deployment-runs/{id}/plan"] = "viewer",
        ["GET /api/v1/deployment-runs/{id}/plan.json"] = "viewer",
        ["GET /api/v1/deployment-runs/{id}/events"] = "viewer",

        ["GET /api/v1/pipelines"] = "viewer",
        ["POST /api/v1/pipelines"] = "operator",
        ["GET /api/v1/pipelines/{id}"] = "viewer",
        ["PATCH /api/v1/pipelines/{id}"] = "operator",
        ["DELETE /api/v1/pipelines/{id}"] = "operator",
        ["POST /api/v1/pipelines/{id}/steps"] = "operator",
        ["DELETE /api/v1/pipelines/{id}/steps/{stepId}"] = "operator",
        ["PUT /api/v1/pipelines/{id}/steps/order"] = "operator",
        ["PUT /api/v1/pipelines/{id}/steps/{stepId}/inputs"] = "operator",

        ["POST /api/v1/pipelines/{id}/runs"] = "operator",
        ["GET /api/v1/pipelines/{id}/runs"] = "viewer",
        ["GET /api/v1/pipeline-runs/{id}"] = "viewer",
        ["POST /api/v1/pipeline-runs/{id}/cancel"] = "operator",
        ["POST /api/v1/pipeline-runs/{id}/resume"] = "operator",
        ["GET /api/v1/pipeline-runs/{id}/events"] = "viewer",

        ["GET /api/v1/webhooks"] = "admin",
        ["POST /api/v1/webhooks"] = "admin",
        ["DELETE /api/v1/webhooks/{id}"] = "admin",
        ["GET /api/v1/webhooks/{id}/deliveries"] = "admin",
        ["POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver"] = "admin",
        ["GET /api/v1/approvals"] = "viewer",
    };

    /// <summary>The matrix as theory rows: method, path pattern, least role.</summary>
    public static TheoryData<string, string, string> Rows
    {
        get
        {
            var rows = new TheoryData<string, string, string>();
            foreach (var (key, minimum) in Minimum) rows.Add(key.Split(' ')[0], key.Split(' ')[1], minimum);
            return rows;
        }
    }

    /// <summary>Every route of the running app, one per method.</summary>
    public static IReadOnlyList<Route> Routes(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => new Route(m, PathOf(e.RoutePattern), e)))
            .ToList();

    /// <summary>Whether the route's endpoint says so itself, rather than being open by a gap.</summary>
    public static bool SaysAllowAnonymous(Route route) => route.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;

    private static string PathOf(RoutePattern pattern) =>
        "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart { IsCatchAll: true } parameter => $"{{*{parameter.Name}}}",
            RoutePatternParameterPart parameter => $"{{{parameter.Name}}}",
            _ => "",
        }))));

    /// <summary>
    /// A URL for a route path: ids become <paramref name="id"/>; the API document and the SPA get names they serve.
    /// </summary>
    public static string Url(string path, string id) => path
        .Replace("{documentName}", "v1").Replace("{extension}", "yaml").Replace("{*path}", "pipelines/some-page")
        .Replace("{stepId}", id).Replace("{deliveryId}", id).Replace("{id}", id);

}
