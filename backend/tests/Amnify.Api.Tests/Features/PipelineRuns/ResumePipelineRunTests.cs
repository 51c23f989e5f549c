using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.PipelineRuns;

namespace Amnify.Api.Tests.Features.PipelineRuns;

/// <summary>Resume at the failed step: the frozen steps and inputs of the run it resumes, what completed there skipped.</summary>
[Collection(nameof(ChainedRunsCollection))]
public sealed class ResumePipelineRunTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpResponseMessage> Resume(Guid runId, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/pipeline-runs/{runId}/resume");
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Resuming_runs_the_frozen_snapshot_from_the_failed_step_even_after_the_pipeline_was_edited()
    {
        var network = await client.Deployment("aws", "network");
        var databaseValues = new Dictionary<string, object?> { ["name"] = "db", ["admin_password"] = "Sup3r-secret", ["fail_apply"] = true };
        var database = await client.Deployment("aws", "database", databaseValues);
        var application = await client.Deployment("aws", "application");
        var (pipeline, _) = await client.Pipeline(network.Id, database.Id, application.Id);
        await client.Wire(pipeline.Id, pipeline.Steps[1].Id, new { variable = "vpc_id", fromStepId = pipeline.Steps[0].Id, output = "vpc_id" });
        var failed = await client.ApproveUntilDone((await client.StartPipeline(pipeline.Id)).Id);
        failed.Steps.Select(s => s.Status).Should().Equal(PipelineStepStatus.Completed, PipelineStepStatus.Failed, PipelineStepStatus.NotRun);
        failed.Actions.Resume.Should().BeTrue();

        // The pipeline changes after the failure: the wiring goes and the last step is removed. The resume ignores both.
        await client.Wire(pipeline.Id, pipeline.Steps[1].Id);
        (await client.DeleteAsync($"/api/v1/pipelines/{pipeline.Id}/steps/{pipeline.Steps[2].Id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        databaseValues["fail_apply"] = false;
        await client.SetVariables(database.Id, databaseValues);

        var response = await Resume(failed.Id);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var resumed = await response.Read<PipelineRun>();
        response.Headers.Location!.ToString().Should().Be($"/api/v1/pipeline-runs/{resumed.Id}");
        resumed.Number.Should().Be(failed.Number + 1);
        resumed.ResumedFromRunId.Should().Be(failed.Id);
        resumed.Steps.Select(s => s.DeploymentId).Should().Equal(network.Id, database.Id, application.Id);
        resumed.Steps[0].Status.Should().Be(PipelineStepStatus.Skipped);
        resumed.Steps[0].SkipReason.Should().Be(StepSkipReason.CompletedInEarlierRun);
        resumed.Steps[0].DeploymentRunId.Should().Be(failed.Steps[0].DeploymentRunId);

        var done = await client.ApproveUntilDone(resumed.Id);
        done.Status.Should().Be(PipelineRunStatus.Completed);
        done.Steps.Select(s => s.Status).Should().Equal(PipelineStepStatus.Skipped, PipelineStepStatus.Completed, PipelineStepStatus.Completed);
        var databaseRun = await client.Run(done.Steps[1].DeploymentRunId!.Value);
        databaseRun.PlanApprovedBy.Should().NotBeNull("a resumed step plans afresh and passes both approvals");
        databaseRun.VariableOrigins.Should().ContainSingle().Which.Variable.Should().Be("vpc_id");
        done.Actions.Resume.Should().BeFalse();
        (await Resume(done.Id)).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_run_cannot_be_resumed_while_another_is_active_and_the_same_key_answers_the_same_resumed_run()
    {
        var network = await client.Deployment("aws", "network");
        var (pipeline, _) = await client.Pipeline(network.Id);
        var first = await client.StartPipeline(pipeline.Id);
        (await Resume(first.Id)).StatusCode.Should().Be(HttpStatusCode.Conflict, "an active run is neither failed nor cancelled");
        (await client.PostEmpty($"/api/v1/pipeline-runs/{first.Id}/cancel")).StatusCode.Should().Be(HttpStatusCode.OK);

        var second = await client.StartPipeline(pipeline.Id);
        var cancelled = await client.PipelineRun(first.Id);
        cancelled.Status.Should().Be(PipelineRunStatus.Cancelled);
        cancelled.Actions.Resume.Should().BeFalse("another run of the pipeline is active");
        var busy = await Resume(first.Id);
        busy.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await busy.ReadProblem()).Detail.Should().Contain($"#{second.Number}");
        (await client.PostEmpty($"/api/v1/pipeline-runs/{second.Id}/cancel")).StatusCode.Should().Be(HttpStatusCode.OK);

        var response = await Resume(first.Id, key: "resume-once");
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var resumed = await response.Read<PipelineRun>();
        var replay = await Resume(first.Id, key: "resume-once");
        replay.StatusCode.Should().Be(HttpStatusCode.OK);
        (await replay.Read<PipelineRun>()).Id.Should().Be(resumed.Id);
        (await Resume(Guid.NewGuid())).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.PostEmpty($"/api/v1/pipeline-runs/{resumed.Id}/cancel")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
