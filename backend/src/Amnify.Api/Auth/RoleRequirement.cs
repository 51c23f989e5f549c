using System.Security.Claims;
using Amnify.Api.Database;
using Dapper;
using Microsoft.AspNetCore.Authorization;

namespace Amnify.Api.Auth;

/// <summary>The caller's role must be at least <see cref="Minimum"/>.</summary>
public sealed record RoleRequirement(Role Minimum) : IAuthorizationRequirement;

/// <summary>Marks an endpoint a pipeline trigger token may use, for its own pipeline only.</summary>
public sealed class PipelineTokenAllowed;

/// <summary>
/// Roles by rank (viewer &lt; operator &lt; approver &lt; admin). A pipeline trigger token has no role: it passes
/// only on endpoints marked <see cref="PipelineTokenAllowed"/> whose pipeline is the token's own, and only while
/// its owner may trigger runs — a CI token never outlives its owner's role.
/// </summary>
public sealed class RoleRequirementHandler(Db db) : AuthorizationHandler<RoleRequirement>
{
    public const Role PipelineTokenOwnerMinimum = Role.Operator;

    /// <summary>False only for a pipeline token whose owner's role is below <see cref="PipelineTokenOwnerMinimum"/>.</summary>
    public static bool PipelineTokenOwnerMayTrigger(ClaimsPrincipal user) =>
        AmnifyIdentity.Of(user) is not { Pipeline: not null } token || token.OwnerRole >= PipelineTokenOwnerMinimum;

    private const string PipelineOfRun = "SELECT pipeline_id FROM pipeline_runs WHERE id = @Id";

    /// <summary>Runs on every request: synchronous, from the identity's parsed role, unless a pipeline token needs its run's pipeline.</summary>
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleRequirement requirement)
    {
        // Only the fallback policy meets a request no route serves: there is nothing to close, and it goes on to its 404
        // (an unknown path, or anything but health on a worker). Every route names a policy or meets the fallback's role.
        if (context.Resource is HttpContext { } target && target.GetEndpoint() is null)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }
        var identity = AmnifyIdentity.Of(context.User);
        if (identity?.Pipeline is { } pipeline)
            return SucceedForItsOwnPipeline(context, requirement, pipeline);
        if (identity?.Caller.Role >= requirement.Minimum) context.Succeed(requirement);
        return Task.CompletedTask;
    }

    private async Task SucceedForItsOwnPipeline(AuthorizationHandlerContext context, RoleRequirement requirement, string pipeline)
    {
        if (PipelineTokenOwnerMayTrigger(context.User) && context.Resource is HttpContext http
            && http.GetEndpoint()?.Metadata.GetMetadata<PipelineTokenAllowed>() is not null && await TargetPipeline(http) == pipeline)
            context.Succeed(requirement);
    }

    /// <summary>The pipeline a request is about: /pipelines/{id}/… or /pipeline-runs/{id}/….</summary>
    private async Task<string?> TargetPipeline(HttpContext http)
    {
        if (!Guid.TryParse(http.GetRouteValue("id")?.ToString(), out var id)) return null;
        if (http.Request.Path.StartsWithSegments("/api/v1/pipelines")) return id.ToString();
        if (http.Request.Path.StartsWithSegments("/api/v1/pipeline-runs"))
            return (await db.Read((c, token) => c.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(PipelineOfRun, new { Id = id }, cancellationToken: token)), http.RequestAborted))?.ToString();
        return null;
    }
}
