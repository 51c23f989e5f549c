using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Features.Pipelines;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[CollectionDefinition(nameof(GetDeploymentRunCollection))]
public sealed class GetDeploymentRunCollection : ICollectionFixture<ApiFactory>;

/// <summary>What a run says about where it came from and how long each phase took.</summary>
[Collection(nameof(GetDeploymentRunCollection))]
public sealed class GetDeploymentRunTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_run_started_by_a_pipeline_names_its_pipeline_run()
    {
        var deployment = await client.Deployment("aws", "network");
        var pipeline = await (await client.PostJson("/api/v1/pipelines", new { provider = "aws", name = HttpExtensions.Unique("Rollout") })).Read<Pipeline>();
        (await client.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = deployment.Id })).StatusCode.Should().Be(HttpStatusCode.Created);
        var pipelineRun = await (await client.PostEmpty($"/api/v1/pipelines/{pipeline.Id}/runs")).Read<PipelineRun>();

        var stepRunId = await StepRunId(pipelineRun.Id);
        var run = await client.Run(stepRunId);

        run.PipelineRun.Should().Be(new Amnify.Api.Features.DeploymentRuns.PipelineRunRef(pipelineRun.Id, 1, pipeline.Id, pipeline.Name));
        await client.PostEmpty($"/api/v1/pipeline-runs/{pipelineRun.Id}/cancel");
    }

    [Fact]
    public async Task A_run_triggered_on_its_own_names_no_pipeline_run()
    {
        var deployment = await client.Deployment("aws", "network");

        var run = await client.Run((await client.Trigger(deployment.Id)).Id);

        run.PipelineRun.Should().BeNull();
        await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task A_run_lists_each_status_it_entered_in_order_with_its_time()
    {
        var deployment = await client.Deployment("aws", "network");
        var triggered = await client.Trigger(deployment.Id);

        var run = await client.WaitFor(triggered.Id, RunStatus.AwaitingPlanApproval);

        run.StatusChanges!.Select(c => c.Status).Should().Equal(
            RunStatus.Queued, RunStatus.Initializing, RunStatus.Planning, RunStatus.AwaitingPlanApproval);
        run.StatusChanges!.Select(c => c.At).Should().BeInAscendingOrder();
        run.StatusChanges![0].At.Should().BeCloseTo(run.QueuedAt, TimeSpan.FromSeconds(1));
        await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task A_run_lists_its_decisions_with_its_status_changes()
    {
        var deployment = await client.Deployment("aws", "network");
        var run = await client.AtPlanGate(deployment.Id);
        await client.ApproveWith(run.Id, "approve-plan", "read with the run");

        var read = await client.WaitFor(run.Id, RunStatus.AwaitingApplyApproval);

        read.Approvals.Should().ContainSingle().Which.Comment.Should().Be("read with the run");
        read.StatusChanges!.Select(c => c.Status).Should().Contain(RunStatus.AwaitingPlanApproval).And.EndWith(RunStatus.AwaitingApplyApproval);
        await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    private async Task<Guid> StepRunId(Guid pipelineRunId)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var run = await (await client.GetAsync($"/api/v1/pipeline-runs/{pipelineRunId}")).Read<PipelineRun>();
            if (run.Steps[0].DeploymentRunId is { } id) return id;
            if (DateTime.UtcNow > until) throw new Xunit.Sdk.XunitException("The pipeline's first step never started a run.");
            await Task.Delay(150);
        }
    }
}
