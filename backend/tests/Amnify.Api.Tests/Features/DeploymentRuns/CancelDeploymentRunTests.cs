using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Features.Deployments;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[Collection(nameof(DeploymentRunsCollection))]
public sealed class CancelDeploymentRunTests(ApiFactory factory) : DeploymentRunsTestBase(factory)
{
    [Fact]
    public async Task Cancel_works_in_each_approval_state_and_while_waiting_for_the_lock_leaving_the_cloud_untouched()
    {
        var deployment = await client.Deployment("gcp", "network");

        var first = await client.Trigger(deployment.Id);
        var second = await client.Trigger(deployment.Id);
        await client.WaitFor(first.Id, RunStatus.AwaitingPlanApproval);
        await client.WaitFor(second.Id, RunStatus.Pending);

        var cancelledWhileWaiting = await (await client.PostJson($"/api/v1/deployment-runs/{second.Id}/cancel", new { reason = "not needed" })).Read<DeploymentRun>();
        cancelledWhileWaiting.Status.Should().Be(RunStatus.Cancelled);
        cancelledWhileWaiting.CancelReason.Should().Be("not needed");

        (await client.PostEmpty($"/api/v1/deployment-runs/{first.Id}/cancel")).StatusCode.Should().Be(HttpStatusCode.OK);
        var third = await client.Trigger(deployment.Id);
        await client.WaitFor(third.Id, RunStatus.AwaitingPlanApproval);
        await client.Approve(third.Id, "approve-plan");
        (await (await client.PostEmpty($"/api/v1/deployment-runs/{third.Id}/cancel")).Read<DeploymentRun>()).Status.Should().Be(RunStatus.Cancelled);

        var again = await client.PostEmpty($"/api/v1/deployment-runs/{third.Id}/cancel");
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await (await client.GetAsync($"/api/v1/deployments/{deployment.Id}")).Read<Deployment>()).Status.Should().Be(DeploymentStatus.NeverDeployed);
    }

    [Fact]
    public async Task Cancelling_with_a_reason_records_the_reason_in_the_audit_log()
    {
        var deployment = await client.Deployment("gcp", "network");
        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);

        (await client.PostJson($"/api/v1/deployment-runs/{run.Id}/cancel", new { reason = "  wrong window  " })).EnsureSuccessStatusCode();

        (await (await client.GetAsync($"/api/v1/audit-events?resourceType=deploymentRun&resourceId={run.Id}&action=deploymentRun.cancel"))
            .Read<Amnify.Api.Http.Page<Amnify.Api.Features.Access.AuditEvent>>()).Items.Should().ContainSingle().Which.Details.Should().Be("reason: wrong window");
    }
}
