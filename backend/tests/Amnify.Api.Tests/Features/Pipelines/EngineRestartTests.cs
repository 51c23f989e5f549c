using Amnify.Api.Engine;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Features.Pipelines;

namespace Amnify.Api.Tests.Features.Pipelines;

/// <summary>
/// The engine stops (API and worker together) and a new one starts on the same database: a pipeline
/// run waiting for approval, or between two steps, carries on as if nothing happened.
/// </summary>
public sealed class EngineRestartTests : IAsyncLifetime
{
    private readonly ApiFactory database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();


    private static async Task<PipelineRun> WaitForStep(HttpClient client, Guid runId, int position, RunStatus status)
    {
        for (var i = 0; i < 600; i++)
        {
            var run = await (await client.GetAsync($"/api/v1/pipeline-runs/{runId}")).Read<PipelineRun>();
            if (run.Steps[position - 1].DeploymentRunStatus == status) return run;
            await Task.Delay(150);
        }
        throw new TimeoutException($"Step {position} never reached {status}.");
    }

    [Fact]
    public async Task A_pipeline_run_survives_restarts_while_awaiting_approval_and_between_steps()
    {
        Guid runId;
        PipelineRun run;
        await using (var first = database.AnotherHost())
        {
            var client = first.CreateClient();
            await client.SyncExamples();
            var network = await client.Deployment("aws", "network");
            var application = await client.Deployment("aws", "application");
            var pipeline = await (await client.PostJson("/api/v1/pipelines", new { provider = "aws", name = "restartable" })).Read<Pipeline>();
            await client.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = network.Id });
            await client.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = application.Id });
            runId = (await (await client.PostEmpty($"/api/v1/pipelines/{pipeline.Id}/runs")).Read<PipelineRun>()).Id;
            await WaitForStep(client, runId, 1, RunStatus.AwaitingPlanApproval);
        } // the engine stops while step 1 awaits its plan approval

        await using (var second = database.AnotherHost())
        {
            var client = second.CreateClient();
            run = await (await client.GetAsync($"/api/v1/pipeline-runs/{runId}")).Read<PipelineRun>();
            run.Status.Should().Be(PipelineRunStatus.AwaitingApproval);
            await client.Approve(run.Steps[0].DeploymentRunId!.Value, "approve-plan");
            await client.Approve(run.Steps[0].DeploymentRunId!.Value, "approve-apply");
        } // stops while step 1 applies: the apply finishes before the worker exits and step 2 is queued with it

        await using (var third = database.AnotherHost())
        {
            var client = third.CreateClient();
            run = await WaitForStep(client, runId, 2, RunStatus.AwaitingPlanApproval);
            run.Steps[0].Status.Should().Be(PipelineStepStatus.Completed);
            await client.Approve(run.Steps[1].DeploymentRunId!.Value, "approve-plan");
            await client.Approve(run.Steps[1].DeploymentRunId!.Value, "approve-apply");
            await WaitForStep(client, runId, 2, RunStatus.Completed);
            run = await (await client.GetAsync($"/api/v1/pipeline-runs/{runId}")).Read<PipelineRun>();
        }

        run.Status.Should().Be(PipelineRunStatus.Completed);
        run.Steps.Should().OnlyContain(s => s.Status == PipelineStepStatus.Completed);
    }
}
