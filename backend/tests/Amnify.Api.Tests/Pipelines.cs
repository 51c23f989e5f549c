using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Amnify.Api.Engine;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Features.Pipelines;

namespace Amnify.Api.Tests;

/// <summary>Builds pipelines and drives their runs through the API the way a person or CI job would.</summary>
public static class Pipelines
{
    /// <summary>A new pipeline with these deployments as its steps, in order; answers it with its ETag.</summary>
    public static async Task<(Pipeline Pipeline, string ETag)> Pipeline(this HttpClient client, params Guid[] deploymentIds)
    {
        var response = await client.PostJson("/api/v1/pipelines", new { provider = "aws", name = HttpExtensions.Unique("Chain") });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var (pipeline, etag) = (await response.Read<Pipeline>(), response.Headers.ETag!.ToString());
        foreach (var deploymentId in deploymentIds)
        {
            response = await client.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId });
            response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            (pipeline, etag) = (await response.Read<Pipeline>(), response.Headers.ETag!.ToString());
        }
        return (pipeline, etag);
    }

    /// <summary>PUT …/steps/{stepId}/inputs with <paramref name="inputs"/> ({ variable, fromStepId, output }), with If-Match when given.</summary>
    public static Task<HttpResponseMessage> PutInputs(this HttpClient client, Guid pipelineId, Guid stepId, object[] inputs, string? etag = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/pipelines/{pipelineId}/steps/{stepId}/inputs")
        {
            Content = JsonContent.Create(new { inputs }, options: ApiFactory.Json),
        };
        if (etag is not null) request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        return client.SendAsync(request);
    }

    /// <summary>Wires the inputs and expects them saved.</summary>
    public static async Task<Pipeline> Wire(this HttpClient client, Guid pipelineId, Guid stepId, params object[] inputs)
    {
        var response = await client.PutInputs(pipelineId, stepId, inputs);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Read<Pipeline>();
    }

    public static async Task<PipelineRun> StartPipeline(this HttpClient client, Guid pipelineId, string? operation = null)
    {
        var response = operation is null
            ? await client.PostEmpty($"/api/v1/pipelines/{pipelineId}/runs")
            : await client.PostJson($"/api/v1/pipelines/{pipelineId}/runs", new { operation });
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return await response.Read<PipelineRun>();
    }

    public static async Task<PipelineRun> PipelineRun(this HttpClient client, Guid id) =>
        await (await client.GetAsync($"/api/v1/pipeline-runs/{id}")).Read<PipelineRun>();

    /// <summary>Approves each step's plan and apply as soon as it asks, until the pipeline run is final.</summary>
    public static async Task<PipelineRun> ApproveUntilDone(this HttpClient client, Guid pipelineRunId)
    {
        var until = DateTime.UtcNow.AddMinutes(4);
        while (DateTime.UtcNow < until)
        {
            var run = await client.PipelineRun(pipelineRunId);
            if (run.Status.IsTerminal()) return run;
            var current = run.Steps.FirstOrDefault(s => s.Status == PipelineStepStatus.Running);
            if (current?.DeploymentRunStatus is RunStatus.AwaitingPlanApproval) await client.PostEmpty($"/api/v1/deployment-runs/{current.DeploymentRunId}/approve-plan");
            else if (current?.DeploymentRunStatus is RunStatus.AwaitingApplyApproval) await client.PostEmpty($"/api/v1/deployment-runs/{current.DeploymentRunId}/approve-apply");
            else await Task.Delay(150);
        }
        throw new TimeoutException($"Pipeline run {pipelineRunId} did not finish.");
    }

    /// <summary>Replaces a deployment's variables.</summary>
    public static async Task SetVariables(this HttpClient client, Guid deploymentId, Dictionary<string, object?> variables)
    {
        var response = await client.PatchJson($"/api/v1/deployments/{deploymentId}", new { variables });
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}
