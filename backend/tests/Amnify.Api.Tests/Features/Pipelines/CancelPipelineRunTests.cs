using Amnify.Api.Engine;

namespace Amnify.Api.Tests.Features.Pipelines;

[Collection(nameof(PipelinesCollection))]
public sealed class CancelPipelineRunTests(ApiFactory factory) : PipelinesTestBase(factory)
{
    [Fact]
    public async Task Cancelling_a_step_directly_cancels_the_pipeline_run()
    {
        var (pipeline, _) = await CreatePipeline();
        var network = await client.Deployment("aws", "network");
        await Add(pipeline.Id, network.Id);
        var run = await RunPipeline(pipeline.Id);
        var stepRun = run.Steps[0].DeploymentRunId!.Value;
        await client.WaitFor(stepRun, RunStatus.AwaitingPlanApproval);
        (await PipelineRunOf(run.Id)).Status.Should().Be(PipelineRunStatus.AwaitingApproval);

        await client.PostEmpty($"/api/v1/deployment-runs/{stepRun}/cancel");

        (await PipelineRunOf(run.Id)).Status.Should().Be(PipelineRunStatus.Cancelled);
    }
}
