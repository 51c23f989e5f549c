using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Features.Pipelines;

namespace Amnify.Api.Tests.Features.Access;

/// <summary>
/// One permission model: a deployment run, a pipeline run and each of its steps say what the caller may do now, from
/// the same decision the endpoints enforce — an action the answer offers is one the server accepts, and one it refuses
/// comes with the reason to show instead.
/// </summary>
[Collection(nameof(AccessCollection))]
public sealed class RunActionsTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient admin = api.CreateClient();

    public Task InitializeAsync() => admin.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(PipelineRun Run, Guid Step)> FourEyesPipelineRun(HttpClient triggerer)
    {
        var deployment = await admin.Deployment("aws", "network");
        (await admin.PatchJson($"/api/v1/deployments/{deployment.Id}", new { requireDistinctApprover = true })).EnsureSuccessStatusCode();
        var pipeline = await (await admin.PostJson("/api/v1/pipelines", new { provider = "aws", name = HttpExtensions.Unique("Actions") })).Read<Pipeline>();
        (await admin.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = deployment.Id })).EnsureSuccessStatusCode();
        var run = await (await triggerer.PostEmpty($"/api/v1/pipelines/{pipeline.Id}/runs")).Read<PipelineRun>();
        return (run, run.Steps[0].DeploymentRunId!.Value);
    }

    private static async Task<PipelineRun> PipelineRunAs(HttpClient client, Guid id) =>
        await (await client.GetAsync($"/api/v1/pipeline-runs/{id}")).Read<PipelineRun>();

    [Fact]
    public async Task A_pipeline_step_offers_each_role_what_it_may_do_and_tells_an_operator_why_not()
    {
        var triggerer = await api.Person("approver");
        var operatorUser = await api.Person("operator");
        var viewer = await api.Person("viewer");
        var (run, step) = await FourEyesPipelineRun(triggerer.Client);
        await admin.WaitFor(step, RunStatus.AwaitingPlanApproval);

        var asTriggerer = await PipelineRunAs(triggerer.Client, run.Id);
        asTriggerer.Actions.Cancel.Should().BeTrue();
        asTriggerer.Steps[0].Actions.Should().Be(new RunActions(ApprovePlan: true, ApproveApply: false, Cancel: true), "four-eyes concerns the apply only");

        var asOperator = await PipelineRunAs(operatorUser.Client, run.Id);
        asOperator.Actions.Cancel.Should().BeTrue();
        asOperator.Steps[0].Actions.Should().Be(new RunActions(false, false, true) { Blocked = new() { ApprovePlan = "Needs the approver role" } });

        var asViewer = await PipelineRunAs(viewer.Client, run.Id);
        asViewer.Actions.Cancel.Should().BeFalse();
        asViewer.Steps[0].Actions.Should().Be(RunActions.None, "a read-only caller is shown no controls and no reasons");

        (await (await triggerer.Client.GetAsync($"/api/v1/pipelines/{run.PipelineId}/runs")).Read<Amnify.Api.Http.Page<PipelineRun>>())
            .Items.Single(r => r.Id == run.Id).Steps[0].Actions.Should().Be(asTriggerer.Steps[0].Actions, "the list decides as the run does");
        await admin.PostEmpty($"/api/v1/pipeline-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task With_four_eyes_a_step_offers_Approve_Apply_only_to_whom_the_server_accepts_it_from()
    {
        var triggerer = await api.Person("approver");
        var planApprover = await api.Person("approver");
        var third = await api.Person("approver");
        var (run, step) = await FourEyesPipelineRun(triggerer.Client);
        await admin.WaitFor(step, RunStatus.AwaitingPlanApproval);
        await planApprover.Client.Approve(step, "approve-plan");

        var asTriggerer = (await PipelineRunAs(triggerer.Client, run.Id)).Steps[0].Actions;
        asTriggerer.ApproveApply.Should().BeFalse();
        asTriggerer.Blocked.ApproveApply.Should().Be("Another approver is needed: you triggered this run");
        (await triggerer.Client.Run(step)).Actions.Should().Be(asTriggerer, "the run and its step decide in one place");
        var refused = await triggerer.Client.PostEmpty($"/api/v1/deployment-runs/{step}/approve-apply");
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await refused.ReadProblem()).Detail.Should().StartWith("Another approver is needed: you triggered this run");

        var asPlanApprover = (await PipelineRunAs(planApprover.Client, run.Id)).Steps[0].Actions;
        asPlanApprover.Blocked.ApproveApply.Should().Be("Another approver is needed: you approved its plan");
        (await (await planApprover.Client.PostEmpty($"/api/v1/deployment-runs/{step}/approve-apply")).ReadProblem())
            .Detail.Should().StartWith("Another approver is needed: you approved its plan");

        var asThird = (await PipelineRunAs(third.Client, run.Id)).Steps[0].Actions;
        asThird.Should().Be(new RunActions(ApprovePlan: false, ApproveApply: true, Cancel: true));
        (await third.Client.PostEmpty($"/api/v1/deployment-runs/{step}/approve-apply")).StatusCode.Should().Be(HttpStatusCode.OK);
        await admin.WaitFor(step, RunStatus.Completed);
    }

    [Fact]
    public async Task A_deployment_run_tells_an_operator_which_role_approving_needs_and_a_viewer_nothing()
    {
        var operatorUser = await api.Person("operator");
        var viewer = await api.Person("viewer");
        var deployment = await admin.Deployment("aws", "network");
        var run = await admin.Trigger(deployment.Id);
        await admin.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);

        (await operatorUser.Client.Run(run.Id)).Actions.Should().Be(new RunActions(false, false, true) { Blocked = new() { ApprovePlan = "Needs the approver role" } });
        (await viewer.Client.Run(run.Id)).Actions.Should().Be(RunActions.None);
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task A_pipeline_trigger_token_follows_its_run_but_is_offered_nothing()
    {
        var owner = await api.Person("operator");
        var (run, step) = await FourEyesPipelineRun(admin);
        var token = await (await owner.Client.PostJson("/api/v1/tokens", new { name = "ci", kind = "pipeline", pipelineId = run.PipelineId }))
            .Read<Amnify.Api.Features.Access.CreatedApiToken>();
        await admin.WaitFor(step, RunStatus.AwaitingPlanApproval);

        var asToken = await PipelineRunAs(api.WithToken(token.Token), run.Id);

        asToken.Actions.Cancel.Should().BeFalse();
        asToken.Steps[0].Actions.Should().Be(RunActions.None);
        await admin.PostEmpty($"/api/v1/pipeline-runs/{run.Id}/cancel");
    }
}
