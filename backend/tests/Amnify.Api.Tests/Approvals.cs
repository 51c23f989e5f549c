using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Features.Pipelines;

namespace Amnify.Api.Tests;

[CollectionDefinition(nameof(ApprovalsCollection))]
public sealed class ApprovalsCollection : ICollectionFixture<ApiFactory>;

/// <summary>Approval policies and decisions driven through the API, as admins and approvers do.</summary>
public static class Approvals
{
    /// <summary>A deployment of the network example in a fresh environment whose approval policy is <paramref name="policy"/>.</summary>
    public static async Task<Deployment> DeploymentWithPolicy(this HttpClient admin, object policy, string template = "network")
    {
        var deployment = await admin.Deployment("aws", template);
        await admin.SetEnvironmentPolicy(deployment.CloudEnvironmentId, policy);
        return deployment;
    }

    public static async Task SetEnvironmentPolicy(this HttpClient admin, Guid environmentId, object policy)
    {
        var response = await admin.PatchJson($"/api/v1/cloud-environments/{environmentId}", new { approvalPolicy = policy });
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>POSTs a decision (approve-plan, approve-apply, reject) with a body.</summary>
    public static Task<HttpResponseMessage> Decide(this HttpClient client, Guid runId, string action, object body) =>
        client.PostJson($"/api/v1/deployment-runs/{runId}/{action}", body);

    /// <summary>Approves with a comment and the plan's hash, expecting 200.</summary>
    public static async Task<DeploymentRun> ApproveWith(this HttpClient client, Guid runId, string gate, string? comment = null, string? planSha256 = null)
    {
        var response = await client.Decide(runId, gate, new { comment, planSha256 });
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Read<DeploymentRun>();
    }

    /// <summary>A pipeline of the given deployments, in order, triggered by <paramref name="triggerer"/>.</summary>
    public static async Task<PipelineRun> PipelineRunOf(this HttpClient admin, HttpClient triggerer, params Guid[] deployments)
    {
        var pipeline = await (await admin.PostJson("/api/v1/pipelines", new { provider = "aws", name = HttpExtensions.Unique("Approvals") })).Read<Pipeline>();
        foreach (var deployment in deployments)
            (await admin.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = deployment })).EnsureSuccessStatusCode();
        var response = await triggerer.PostEmpty($"/api/v1/pipelines/{pipeline.Id}/runs");
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return await response.Read<PipelineRun>();
    }

    /// <summary>Polls the pipeline run until it is in <paramref name="status"/>.</summary>
    public static async Task<PipelineRun> WaitForPipeline(this HttpClient client, Guid id, PipelineRunStatus status, int seconds = 60)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var run = await client.PipelineRun(id);
            if (run.Status == status) return run;
            if (run.Status.IsTerminal() || DateTime.UtcNow > until)
                throw new Xunit.Sdk.XunitException($"Pipeline run {id} is {run.Status}, expected {status}.");
            await Task.Delay(150);
        }
    }

    /// <summary>A run waiting at its plan gate, triggered by <paramref name="triggerer"/>.</summary>
    public static async Task<DeploymentRun> AtPlanGate(this HttpClient triggerer, Guid deploymentId, string operation = "execute")
    {
        var run = await triggerer.Trigger(deploymentId, operation);
        return await triggerer.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
    }
}
