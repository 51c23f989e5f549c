using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Tests.Features.Templates;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[Collection(nameof(DeploymentRunsCollection))]
public sealed class RunEventsTests(ApiFactory factory) : DeploymentRunsTestBase(factory)
{
    [Fact]
    public async Task The_event_stream_replays_from_last_event_id_and_ends_with_the_run()
    {
        var deployment = await client.Deployment("gcp", "network");
        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");

        var all = await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/events");
        all.Should().Contain("event: status").And.Contain("\"status\":\"planning\"").And.Contain("event: log").And.EndWith("event: end\ndata: {}\n\n");

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/deployment-runs/{run.Id}/events");
        request.Headers.Add("Last-Event-ID", "3");
        var resumed = await (await client.SendAsync(request)).Content.ReadAsStringAsync();
        resumed.Should().NotContain("id: 3\n").And.Contain("id: 4\n");

        var log = await client.GetAsync($"/api/v1/deployment-runs/{run.Id}/log?offset=3");
        var offset = int.Parse(log.Headers.GetValues("X-Log-Offset").Single());
        offset.Should().BeGreaterThan(3);
        (await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/log?offset={offset}")).Should().BeEmpty();
    }
}
