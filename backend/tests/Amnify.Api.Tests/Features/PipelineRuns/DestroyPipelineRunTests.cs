using Amnify.Api.Engine;
using Amnify.Api.Features.PipelineRuns;

namespace Amnify.Api.Tests.Features.PipelineRuns;

/// <summary>Destroying a pipeline: every step destroyed in reverse order through both approvals, passing over what has nothing to destroy.</summary>
[Collection(nameof(ChainedRunsCollection))]
public sealed class DestroyPipelineRunTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_destroy_runs_the_steps_in_reverse_and_skips_what_was_never_deployed()
    {
        var network = await client.Deployment("aws", "network");
        var database = await client.Deployment("aws", "database");
        var application = await client.Deployment("aws", "application");
        var (pipeline, _) = await client.Pipeline(network.Id, database.Id, application.Id);
        await client.RunThrough(network.Id);
        await client.RunThrough(database.Id);

        var started = await client.StartPipeline(pipeline.Id, "destroy");
        started.Operation.Should().Be(RunOperation.Destroy);
        started.Steps.Select(s => s.DeploymentId).Should().Equal(application.Id, database.Id, network.Id);
        var done = await client.ApproveUntilDone(started.Id);

        done.Status.Should().Be(PipelineRunStatus.Completed);
        done.Steps.Select(s => (s.Status, s.SkipReason)).Should().Equal(
            (PipelineStepStatus.Skipped, StepSkipReason.NothingToDestroy), (PipelineStepStatus.Completed, null), (PipelineStepStatus.Completed, null));
        foreach (var step in done.Steps.Skip(1))
        {
            var run = await client.Run(step.DeploymentRunId!.Value);
            run.Operation.Should().Be(RunOperation.Destroy);
            run.Status.Should().Be(RunStatus.Destroyed);
            run.ApplyApprovedBy.Should().NotBeNull();
        }
        var destroyedFirst = await client.Run(done.Steps[1].DeploymentRunId!.Value);
        var destroyedLast = await client.Run(done.Steps[2].DeploymentRunId!.Value);
        destroyedFirst.FinishedAt.Should().BeOnOrBefore(destroyedLast.QueuedAt, "the next step is queued as the one before it ends");
    }

    [Fact]
    public async Task A_destroy_stops_at_the_first_failure_and_resumes_from_there()
    {
        var database = await client.Deployment("aws", "database");
        var application = await client.Deployment("aws", "application");
        var (pipeline, _) = await client.Pipeline(database.Id, application.Id);
        await client.Wire(pipeline.Id, pipeline.Steps[1].Id, new { variable = "db_endpoint", fromStepId = pipeline.Steps[0].Id, output = "endpoint" });
        await client.RunThrough(application.Id);

        // The application goes first; its input still reads the database's state, which has never been applied.
        var failed = await client.ApproveUntilDone((await client.StartPipeline(pipeline.Id, "destroy")).Id);
        failed.Status.Should().Be(PipelineRunStatus.Failed);
        failed.Steps.Select(s => s.Status).Should().Equal(PipelineStepStatus.Failed, PipelineStepStatus.NotRun);
        failed.Steps[0].Error.Should().Contain(database.Name);

        await client.RunThrough(database.Id);
        var resumed = await (await client.PostEmpty($"/api/v1/pipeline-runs/{failed.Id}/resume")).Read<PipelineRun>();
        resumed.Operation.Should().Be(RunOperation.Destroy);
        var done = await client.ApproveUntilDone(resumed.Id);

        done.Status.Should().Be(PipelineRunStatus.Completed);
        done.Steps.Select(s => s.DeploymentId).Should().Equal(application.Id, database.Id);
        done.Steps.Select(s => s.DeploymentRunStatus).Should().Equal(RunStatus.Destroyed, RunStatus.Destroyed);
        (await client.Run(done.Steps[0].DeploymentRunId!.Value)).VariableOrigins.Should().ContainSingle().Which.Origin.Should().Contain("step 2");
    }
}
