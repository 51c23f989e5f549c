using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.DeploymentRuns;

namespace Amnify.Api.Tests;

/// <summary>Drives deployment runs through the API the way a person or CI job would.</summary>
public static class Runs
{
    public static async Task<DeploymentRun> Trigger(this HttpClient client, Guid deploymentId, string operation = "execute")
    {
        var response = await client.PostJson($"/api/v1/deployments/{deploymentId}/runs", new { operation });
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return await response.Read<DeploymentRun>();
    }

    public static async Task<DeploymentRun> Run(this HttpClient client, Guid runId) =>
        await (await client.GetAsync($"/api/v1/deployment-runs/{runId}")).Read<DeploymentRun>();

    /// <summary>Polls until the run is in <paramref name="status"/>; fails fast if it ends in another final state.</summary>
    public static async Task<DeploymentRun> WaitFor(this HttpClient client, Guid runId, RunStatus status, int seconds = 90)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var run = await client.Run(runId);
            if (run.Status == status) return run;
            if (run.Status.IsTerminal() || DateTime.UtcNow > until)
                throw new Xunit.Sdk.XunitException($"Run {runId} is {run.Status} (error: {run.Error}), expected {status}.");
            await Task.Delay(150);
        }
    }

    public static async Task<DeploymentRun> Approve(this HttpClient client, Guid runId, string gate)
    {
        var response = await client.PostEmpty($"/api/v1/deployment-runs/{runId}/{gate}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Read<DeploymentRun>();
    }

    /// <summary>Triggers a run and gives both approvals as soon as each is asked for; answers the final run.</summary>
    public static async Task<DeploymentRun> RunThrough(this HttpClient client, Guid deploymentId, string operation = "execute")
    {
        var run = await client.Trigger(deploymentId, operation);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await client.Approve(run.Id, "approve-plan");
        await client.Approve(run.Id, "approve-apply");
        return await client.WaitFor(run.Id, operation == "execute" ? RunStatus.Completed : RunStatus.Destroyed);
    }
}
