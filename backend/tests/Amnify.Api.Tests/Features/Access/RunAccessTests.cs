using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.DeploymentRuns;

namespace Amnify.Api.Tests.Features.Access;

[Collection(nameof(AccessCollection))]
public sealed class RunAccessTests(ApiFactory factory) : AccessTestBase(factory)
{
    [Fact]
    public async Task With_four_eyes_the_person_who_approved_the_plan_cannot_approve_the_apply()
    {
        var approverA = await ClientFor("approver");
        var approverB = await api.CreateClientAs("approver");
        var deployment = await admin.Deployment("aws", "network");
        await admin.PatchJson($"/api/v1/deployments/{deployment.Id}", new { requireDistinctApprover = true });

        var run = await admin.Trigger(deployment.Id);
        await admin.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await approverA.Approve(run.Id, "approve-plan");

        (await (await approverA.GetAsync($"/api/v1/deployment-runs/{run.Id}")).Read<DeploymentRun>()).Actions.ApproveApply.Should().BeFalse();
        var refused = await approverA.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-apply");
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-apply")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "the admin triggered it");

        (await (await approverB.GetAsync($"/api/v1/deployment-runs/{run.Id}")).Read<DeploymentRun>()).Actions.ApproveApply.Should().BeTrue();
        var done = await approverB.Approve(run.Id, "approve-apply");
        done.ApplyApprovedBy.Should().NotBe(done.PlanApprovedBy);
        await admin.WaitFor(run.Id, RunStatus.Completed);
    }

    [Fact]
    public async Task A_viewer_sees_no_actions_on_a_run()
    {
        var viewer = await ClientFor("viewer");
        var deployment = await admin.Deployment("aws", "network");
        var run = await admin.Trigger(deployment.Id);
        await admin.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);

        (await (await viewer.GetAsync($"/api/v1/deployment-runs/{run.Id}")).Read<DeploymentRun>()).Actions
            .Should().Be(new RunActions(false, false, false));
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }
}
