using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.Access;
using Amnify.Api.Http;
using Amnify.Api.Tests.Features.Access;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[Collection(nameof(ApprovalsCollection))]
public sealed class RejectDeploymentRunTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient admin = api.CreateClient();

    public Task InitializeAsync() => admin.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_reject_without_a_comment_answers_400_naming_the_comment_and_changes_nothing()
    {
        var deployment = await admin.Deployment("aws", "network");
        var run = await admin.AtPlanGate(deployment.Id);

        var bare = await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/reject");
        var blank = await admin.Decide(run.Id, "reject", new { comment = "   " });

        bare.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bare.ReadProblem()).Errors.Should().ContainKey("comment");
        blank.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await admin.Run(run.Id)).Status.Should().Be(RunStatus.AwaitingPlanApproval);
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task Rejecting_ends_the_run_rejected_with_who_and_why_on_the_run_and_in_the_audit()
    {
        var approver = await api.Person("approver");
        var deployment = await admin.Deployment("aws", "network");
        var run = await admin.AtPlanGate(deployment.Id);

        var response = await approver.Client.Decide(run.Id, "reject", new { comment = "wrong CIDR", planSha256 = run.PlanSha256 });

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var rejected = await admin.Run(run.Id);
        rejected.Status.Should().Be(RunStatus.Rejected);
        rejected.FinishedAt.Should().NotBeNull();
        rejected.Approvals.Should().ContainSingle().Which.Should().Match<Amnify.Api.Features.DeploymentRuns.RunApproval>(a =>
            a.Decision == ApprovalDecision.Rejected && a.Gate == ApprovalGate.Plan && a.UserId == approver.Id && a.Comment == "wrong CIDR");
        (await (await admin.GetAsync($"/api/v1/audit-events?resourceType=deploymentRun&resourceId={run.Id}&action=deploymentRun.reject"))
            .Read<Page<AuditEvent>>()).Items.Should().ContainSingle().Which.Details.Should().EndWith("decision: rejected; planSha256: " + run.PlanSha256 + "; comment: wrong CIDR");
        (await admin.GetAsync($"/api/v1/deployments/{deployment.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await admin.Trigger(deployment.Id)).Status.Should().Be(RunStatus.Queued, "a rejected run frees its deployment");
    }

    [Fact]
    public async Task A_run_at_no_gate_cannot_be_rejected_and_an_operator_may_not_reject()
    {
        var operatorUser = await api.Person("operator");
        var deployment = await admin.Deployment("aws", "network");
        var run = await admin.AtPlanGate(deployment.Id);

        (await operatorUser.Client.Decide(run.Id, "reject", new { comment = "no" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
        (await admin.Decide(run.Id, "reject", new { comment = "too late" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Rejecting_a_step_stops_its_pipeline_rejected_later_steps_are_not_run_and_the_comment_is_on_the_step()
    {
        var approver = await api.Person("approver");
        var first = await admin.Deployment("aws", "network");
        var second = await admin.Deployment("aws", "network");
        var pipelineRun = await admin.PipelineRunOf(admin, first.Id, second.Id);
        var step = pipelineRun.Steps[0].DeploymentRunId!.Value;
        await admin.WaitFor(step, RunStatus.AwaitingPlanApproval);

        await approver.Client.ApproveWith(step, "reject", "not during the freeze");

        var stopped = await admin.WaitForPipeline(pipelineRun.Id, PipelineRunStatus.Rejected);
        stopped.Steps.Select(s => s.Status).Should().Equal(PipelineStepStatus.Rejected, PipelineStepStatus.NotRun);
        stopped.Steps[0].Approvals.Should().ContainSingle().Which.Comment.Should().Be("not during the freeze");
        stopped.Steps[0].Approvals[0].UserName.Should().Be(approver.User.Email);
        stopped.FinishedAt.Should().NotBeNull();
    }
}
