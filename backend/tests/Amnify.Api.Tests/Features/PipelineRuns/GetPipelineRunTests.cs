using Amnify.Api.Engine;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Http;

namespace Amnify.Api.Tests.Features.PipelineRuns;

/// <summary>
/// A pipeline run's read carries each step's decisions: the run, its steps and their decisions are fetched in one round
/// trip (a history page in two).
/// </summary>
[Collection(nameof(ApprovalsCollection))]
public sealed class GetPipelineRunTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient admin = api.CreateClient();

    public Task InitializeAsync() => admin.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A one-step pipeline run whose step's plan the admin approved with <paramref name="comment"/>; it waits at the apply gate.</summary>
    private async Task<(PipelineRun Run, Guid Step)> PlanApprovedRun(string comment)
    {
        var deployment = await admin.Deployment("aws", "network");
        var run = await admin.PipelineRunOf(admin, deployment.Id);
        var step = run.Steps[0].DeploymentRunId!.Value;
        await admin.WaitFor(step, RunStatus.AwaitingPlanApproval);
        await admin.ApproveWith(step, "approve-plan", comment);
        await admin.WaitFor(step, RunStatus.AwaitingApplyApproval);
        return (run, step);
    }

    [Fact]
    public async Task A_pipeline_run_lists_the_decision_on_its_step_with_who_and_why()
    {
        var (run, step) = await PlanApprovedRun("plan looks right");

        var read = await admin.PipelineRun(run.Id);

        var decision = read.Steps[0].Approvals.Should().ContainSingle().Subject;
        decision.Gate.Should().Be(ApprovalGate.Plan);
        decision.Decision.Should().Be(ApprovalDecision.Approved);
        decision.Comment.Should().Be("plan looks right");
        decision.UserName.Should().Be((await admin.Run(step)).PlanApprovedBy);
        read.Steps[0].ApprovalProgress.Should().NotBeNull("the step waits at its apply gate");
        await admin.PostEmpty($"/api/v1/pipeline-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task A_pipeline_run_history_lists_the_same_decisions_as_the_run_itself()
    {
        var (run, _) = await PlanApprovedRun("history too");

        var page = await (await admin.GetAsync($"/api/v1/pipelines/{run.PipelineId}/runs")).Read<Page<PipelineRun>>();

        page.Items.Single(r => r.Id == run.Id).Steps[0].Approvals.Should().BeEquivalentTo((await admin.PipelineRun(run.Id)).Steps[0].Approvals);
        await admin.PostEmpty($"/api/v1/pipeline-runs/{run.Id}/cancel");
    }
}
