using System.Text.Json;
using Amnify.Api.Engine;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[CollectionDefinition(nameof(RunEventsCollection))]
public sealed class RunEventsCollection : ICollectionFixture<ApiFactory>;

[Collection(nameof(RunEventsCollection))]
public sealed class RunEventsTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Each_log_event_says_when_its_line_was_written()
    {
        var deployment = await client.Deployment("aws", "network");
        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");

        await using var stream = await Sse.Open(client, $"/api/v1/deployment-runs/{run.Id}/events");
        (await stream.EndsWithin(TimeSpan.FromSeconds(10))).Should().BeTrue("the run is final");

        var logs = stream.Text.Split("\n\n").Where(e => e.Contains("event: log"))
            .Select(e => JsonDocument.Parse(e.Split('\n').Single(l => l.StartsWith("data: "))["data: ".Length..]).RootElement).ToList();
        logs.Should().NotBeEmpty();
        var times = logs.Select(l => l.GetProperty("at").GetDateTimeOffset()).ToList();
        times.Should().BeInAscendingOrder().And.OnlyContain(t => t >= run.QueuedAt.AddSeconds(-1) && t <= DateTimeOffset.UtcNow);
    }
}
