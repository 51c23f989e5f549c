using System.Net;
using System.Net.Http.Headers;
using Amnify.Api.Engine;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Features.Pipelines;

namespace Amnify.Api.Tests.Features.Pipelines;

[CollectionDefinition(nameof(PipelinesCollection))]
public sealed class PipelinesCollection : ICollectionFixture<ApiFactory>;

/// <summary>What the Pipelines use-case tests share: one database per area (the collection), a client and helpers.</summary>
public abstract class PipelinesTestBase(ApiFactory api) : IAsyncLifetime
{
    protected readonly ApiFactory api = api;

    protected readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    protected async Task<(Pipeline Pipeline, string ETag)> CreatePipeline(string provider = "aws")
    {
        var response = await client.PostJson("/api/v1/pipelines", new { provider, name = HttpExtensions.Unique("Rollout"), description = "all of it" });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Headers.Location!.ToString().Should().StartWith("/api/v1/pipelines/");
        return (await response.Read<Pipeline>(), response.Headers.ETag!.ToString());
    }

    protected async Task<(Pipeline Pipeline, string ETag)> Add(Guid pipelineId, Guid deploymentId)
    {
        var response = await client.PostJson($"/api/v1/pipelines/{pipelineId}/steps", new { deploymentId });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Read<Pipeline>(), response.Headers.ETag!.ToString());
    }

    protected async Task<HttpResponseMessage> Reorder(Guid pipelineId, string? etag, IEnumerable<Guid> stepIds)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/pipelines/{pipelineId}/steps/order")
        {
            Content = JsonContent(new { stepIds }),
        };
        if (etag is not null) request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        return await client.SendAsync(request);
    }

    protected static HttpContent JsonContent(object body) => System.Net.Http.Json.JsonContent.Create(body, options: ApiFactory.Json);

    protected async Task<PipelineRun> RunPipeline(Guid pipelineId, string? key = null, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/pipelines/{pipelineId}/runs");
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(request);
        response.StatusCode.Should().Be(expected, await response.Content.ReadAsStringAsync());
        return await response.Read<PipelineRun>();
    }

    protected async Task<PipelineRun> PipelineRunOf(Guid id) => await (await client.GetAsync($"/api/v1/pipeline-runs/{id}")).Read<PipelineRun>();

    /// <summary>Approves each step's plan and apply as soon as it asks, until the pipeline run is final.</summary>
    protected async Task<PipelineRun> ApproveUntilDone(Guid pipelineRunId)
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
}
