using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Http;

namespace Amnify.Api.Tests.Features.Pipelines;

[Collection(nameof(PipelinesCollection))]
public sealed class TriggerPipelineRunTests(ApiFactory factory) : PipelinesTestBase(factory)
{
    [Fact]
    public async Task An_empty_pipeline_cannot_run()
    {
        var (pipeline, _) = await CreatePipeline();
        var response = await client.PostEmpty($"/api/v1/pipelines/{pipeline.Id}/runs");

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.ReadProblem()).Detail.Should().Contain("no steps");
    }

    [Fact]
    public async Task A_run_goes_step_by_step_with_approvals_then_stops_at_a_failure_and_a_run_again_skips_what_is_up_to_date()
    {
        var (pipeline, _) = await CreatePipeline();
        var network = await client.Deployment("aws", "network");
        var database = await client.Deployment("aws", "database");
        var application = await client.Deployment("aws", "application");
        foreach (var d in new[] { network, database, application }) await Add(pipeline.Id, d.Id);

        var first = await RunPipeline(pipeline.Id);
        first.Number.Should().Be(1);
        first.Steps.Select(s => s.DeploymentName).Should().Equal(network.Name, database.Name, application.Name);
        // Edits during a run change only future runs.
        await client.PatchJson($"/api/v1/pipelines/{pipeline.Id}", new { name = HttpExtensions.Unique("Renamed") });
        (await client.PostEmpty($"/api/v1/pipelines/{pipeline.Id}/runs")).StatusCode.Should().Be(HttpStatusCode.Conflict);

        var done = await ApproveUntilDone(first.Id);
        done.Status.Should().Be(PipelineRunStatus.Completed);
        done.Steps.Should().OnlyContain(s => s.Status == PipelineStepStatus.Completed && s.DeploymentRunId != null && s.FinishedAt != null);

        await client.PatchJson($"/api/v1/deployments/{database.Id}", new { variables = new { fail_apply = true } });
        var second = await ApproveUntilDone((await RunPipeline(pipeline.Id)).Id);
        second.Number.Should().Be(2);
        second.Status.Should().Be(PipelineRunStatus.Failed);
        second.Steps.Select(s => s.Status).Should().Equal(PipelineStepStatus.Skipped, PipelineStepStatus.Failed, PipelineStepStatus.NotRun);

        await client.PatchJson($"/api/v1/deployments/{database.Id}", new { variables = new { fail_apply = false } });
        var third = await ApproveUntilDone((await RunPipeline(pipeline.Id)).Id);
        third.Status.Should().Be(PipelineRunStatus.Completed);
        third.Steps[0].Status.Should().Be(PipelineStepStatus.Skipped);
        third.Steps[2].Status.Should().Be(PipelineStepStatus.Skipped);

        var history = await (await client.GetAsync($"/api/v1/pipelines/{pipeline.Id}/runs")).Read<Page<PipelineRun>>();
        history.Items.Select(r => r.Number).Should().Equal(3, 2, 1);
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_same_run_and_cancelling_stops_the_current_step()
    {
        var (pipeline, _) = await CreatePipeline();
        var network = await client.Deployment("aws", "network");
        var application = await client.Deployment("aws", "application");
        await Add(pipeline.Id, network.Id);
        await Add(pipeline.Id, application.Id);

        var key = Guid.NewGuid().ToString();
        var run = await RunPipeline(pipeline.Id, key);
        var replay = await RunPipeline(pipeline.Id, key, HttpStatusCode.OK);
        replay.Id.Should().Be(run.Id);

        var stepRun = run.Steps[0].DeploymentRunId!.Value;
        await client.WaitFor(stepRun, RunStatus.AwaitingPlanApproval);
        var cancelled = await (await client.PostEmpty($"/api/v1/pipeline-runs/{run.Id}/cancel")).Read<PipelineRun>();

        cancelled.Status.Should().Be(PipelineRunStatus.Cancelled);
        cancelled.Steps.Select(s => s.Status).Should().Equal(PipelineStepStatus.Cancelled, PipelineStepStatus.NotRun);
        (await client.Run(stepRun)).Status.Should().Be(RunStatus.Cancelled);
        (await client.PostEmpty($"/api/v1/pipeline-runs/{run.Id}/cancel")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await RunPipeline(pipeline.Id)).Number.Should().Be(2);
    }

    [Fact]
    public async Task A_deployment_needing_configuration_blocks_the_trigger_naming_it()
    {
        var (pipeline, _) = await CreatePipeline();
        var network = await client.Deployment("aws", "network");
        await Add(pipeline.Id, network.Id);
        await using (var db = await api.OpenDatabase())
            await Dapper.SqlMapper.ExecuteAsync(db, "UPDATE deployments SET missing_variables = '{owner}' WHERE id = @id", new { id = network.Id });

        var response = await client.PostEmpty($"/api/v1/pipelines/{pipeline.Id}/runs");

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.ReadProblem()).Detail.Should().Contain(network.Name);
    }
}
