using System.Net;
using System.Net.Http.Headers;
using Amnify.Api.Engine;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Features.Pipelines;
using Amnify.Api.Http;

namespace Amnify.Api.Tests.Features.Pipelines;

[CollectionDefinition(nameof(PipelinesCollection))]
public sealed class PipelinesCollection : ICollectionFixture<ApiFactory>;

[Collection(nameof(PipelinesCollection))]
public sealed class PipelinesTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(Pipeline Pipeline, string ETag)> CreatePipeline(string provider = "aws")
    {
        var response = await client.PostJson("/api/v1/pipelines", new { provider, name = HttpExtensions.Unique("Rollout"), description = "all of it" });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Headers.Location!.ToString().Should().StartWith("/api/v1/pipelines/");
        return (await response.Read<Pipeline>(), response.Headers.ETag!.ToString());
    }

    private async Task<(Pipeline Pipeline, string ETag)> Add(Guid pipelineId, Guid deploymentId)
    {
        var response = await client.PostJson($"/api/v1/pipelines/{pipelineId}/steps", new { deploymentId });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Read<Pipeline>(), response.Headers.ETag!.ToString());
    }

    private async Task<HttpResponseMessage> Reorder(Guid pipelineId, string? etag, IEnumerable<Guid> stepIds)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/pipelines/{pipelineId}/steps/order")
        {
            Content = JsonContent(new { stepIds }),
        };
        if (etag is not null) request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        return await client.SendAsync(request);
    }

    private static HttpContent JsonContent(object body) => System.Net.Http.Json.JsonContent.Create(body, options: ApiFactory.Json);

    private async Task<PipelineRun> RunPipeline(Guid pipelineId, string? key = null, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/pipelines/{pipelineId}/runs");
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(request);
        response.StatusCode.Should().Be(expected, await response.Content.ReadAsStringAsync());
        return await response.Read<PipelineRun>();
    }

    private async Task<PipelineRun> PipelineRunOf(Guid id) => await (await client.GetAsync($"/api/v1/pipeline-runs/{id}")).Read<PipelineRun>();

    /// <summary>Approves each step's plan and apply as soon as it asks, until the pipeline run is final.</summary>
    private async Task<PipelineRun> ApproveUntilDone(Guid pipelineRunId)
    {
        for (var i = 0; i < 1200; i++)
        {
            var run = await PipelineRunOf(pipelineRunId);
            if (run.Status is PipelineRunStatus.Completed or PipelineRunStatus.Failed or PipelineRunStatus.Cancelled) return run;
            var current = run.Steps.FirstOrDefault(s => s.Status == PipelineStepStatus.Running);
            if (current?.DeploymentRunStatus is RunStatus.AwaitingPlanApproval) await client.PostEmpty($"/api/v1/deployment-runs/{current.DeploymentRunId}/approve-plan");
            else if (current?.DeploymentRunStatus is RunStatus.AwaitingApplyApproval) await client.PostEmpty($"/api/v1/deployment-runs/{current.DeploymentRunId}/approve-apply");
            else await Task.Delay(150);
        }
        throw new TimeoutException("The pipeline run did not finish.");
    }

    [Fact]
    public async Task A_pipeline_is_created_empty_and_names_are_unique_per_provider()
    {
        var (pipeline, etag) = await CreatePipeline("gcp");
        pipeline.Steps.Should().BeEmpty();
        etag.Should().Be($"\"{pipeline.Version}\"");

        var duplicate = await client.PostJson("/api/v1/pipelines", new { provider = "gcp", name = pipeline.Name.ToUpperInvariant() });
        duplicate.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var invalid = await client.PostJson("/api/v1/pipelines", new { provider = "gcp", name = " ", description = new string('d', 2001) });
        (await invalid.ReadProblem()).Errors.Should().ContainKeys("name", "description");

        var listed = await (await client.GetAsync($"/api/v1/pipelines?provider=gcp&q={pipeline.Name}")).Read<Page<PipelineSummary>>();
        listed.Items.Should().ContainSingle().Which.StepCount.Should().Be(0);
    }

    [Fact]
    public async Task Steps_are_appended_in_add_order_once_each_and_of_the_same_provider()
    {
        var (pipeline, _) = await CreatePipeline();
        var network = await client.Deployment("aws", "network");
        var application = await client.Deployment("aws", "application");
        await Add(pipeline.Id, network.Id);
        var (withTwo, _) = await Add(pipeline.Id, application.Id);

        withTwo.Steps.Select(s => (s.Position, s.DeploymentId)).Should().Equal((1, network.Id), (2, application.Id));
        (await client.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = network.Id })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        var azure = await client.Deployment("azure", "network");
        var otherProvider = await client.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = azure.Id });
        // A reference to a deployment of another provider is a field error, answered like every other one (issue 13: was 422).
        otherProvider.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await otherProvider.ReadProblem();
        problem.Detail.Should().Contain("azure");
        problem.Errors.Should().ContainKey("deploymentId");

        var delete = await client.DeleteAsync($"/api/v1/deployments/{network.Id}");
        delete.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await delete.ReadProblem()).Detail.Should().Contain(pipeline.Name);

        var removal = await client.DeleteAsync($"/api/v1/pipelines/{pipeline.Id}/steps/{withTwo.Steps[0].Id}");
        removal.StatusCode.Should().Be(HttpStatusCode.OK, await removal.Content.ReadAsStringAsync());
        var removed = await removal.Read<Pipeline>();
        removed.Steps.Should().ContainSingle().Which.Position.Should().Be(1);
        (await client.GetAsync($"/api/v1/deployments/{network.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Reordering_with_a_stale_etag_answers_412_and_keeps_the_order()
    {
        var (pipeline, _) = await CreatePipeline();
        var a = await client.Deployment("aws", "network");
        var b = await client.Deployment("aws", "application");
        await Add(pipeline.Id, a.Id);
        var (current, etag) = await Add(pipeline.Id, b.Id);
        var reversed = current.Steps.Select(s => s.Id).Reverse().ToArray();

        var ok = await Reorder(pipeline.Id, etag, reversed);
        ok.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ok.Read<Pipeline>()).Steps.Select(s => s.DeploymentId).Should().Equal(b.Id, a.Id);
        ok.Headers.ETag!.ToString().Should().NotBe(etag);

        var stale = await Reorder(pipeline.Id, etag, current.Steps.Select(s => s.Id));
        stale.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        await stale.ReadProblem();
        (await (await client.GetAsync($"/api/v1/pipelines/{pipeline.Id}")).Read<Pipeline>()).Steps.Select(s => s.DeploymentId).Should().Equal(b.Id, a.Id);

        var notAPermutation = await Reorder(pipeline.Id, null, [reversed[0]]);
        notAPermutation.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await notAPermutation.ReadProblem()).Errors.Should().ContainKey("stepIds");
    }

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
