using Amnify.Api.Auth;
using Amnify.Api.Http;

namespace Amnify.Api.Features.Approvals;

public static class ApprovalsEndpoints
{
    public static RouteGroupBuilder MapApprovals(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/approvals").WithTags("Approvals");
        group.MapGet("/", ListApprovalsEndpoint.Handle).WithName("ListApprovals").RequireAuthorization(Policies.Read)
            .WithSummary("The caller's inbox: gates they may decide now, oldest waiting first, with the policy's progress.").Fails<ListApprovals>();
        return api;
    }
}
