using System.Collections.Concurrent;
using Amnify.Api.Engine;
using Dapper;
using Npgsql;

namespace Amnify.Api.Tests.Engine;

/// <summary>
/// Every state change reaches the listeners once it commits: the workers hear of a run queued or approved for its apply,
/// and live views of each change of the run, whether the API or a worker made it (the NOTIFYs are sent after the commit).
/// </summary>
public sealed class StateChangeNotificationTests(ApiFactory api) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>LISTENs on the engine's channels on a connection of its own and keeps every notification it hears.</summary>
    private sealed class Listener : IAsyncDisposable
    {
        private readonly NpgsqlConnection connection;
        private readonly CancellationTokenSource stop = new();
        private readonly ConcurrentQueue<(string Channel, string Payload)> heard = new();
        private Task? pump;

        private Listener(NpgsqlConnection connection) => this.connection = connection;

        public static async Task<Listener> Start(ApiFactory api)
        {
            var listener = new Listener(await api.OpenDatabase());
            listener.connection.Notification += (_, e) => listener.heard.Enqueue((e.Channel, e.Payload));
            await listener.connection.ExecuteAsync($"LISTEN {RunChannels.Queue}; LISTEN {RunChannels.Events}");
            listener.pump = Task.Run(async () =>
            {
                try { while (true) await listener.connection.WaitAsync(listener.stop.Token); }
                catch (OperationCanceledException) { }
            });
            return listener;
        }

        public void Forget() => heard.Clear();

        /// <summary>Waits up to ten seconds to hear <paramref name="payload"/> on <paramref name="channel"/>.</summary>
        public async Task<bool> Heard(string channel, string payload)
        {
            for (var waited = 0; waited < 10_000; waited += 20)
            {
                if (heard.Any(n => n.Channel == channel && (payload == "" || n.Payload == payload))) return true;
                await Task.Delay(20);
            }
            return false;
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            if (pump is not null) await pump;
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_triggered_run_wakes_the_workers_and_each_change_up_to_the_plan_gate_reaches_live_views()
    {
        await using var listener = await Listener.Start(api);
        var deployment = await client.Deployment("aws", "network");

        var run = await client.Trigger(deployment.Id);

        (await listener.Heard(RunChannels.Queue, "")).Should().BeTrue("the workers must hear of a queued run");
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        (await listener.Heard(RunChannels.Events, run.Id.ToString())).Should().BeTrue("live views must hear of the worker's changes");
        await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task Approvals_and_a_cancel_given_through_the_api_reach_the_workers_and_live_views()
    {
        await using var listener = await Listener.Start(api);
        var deployment = await client.Deployment("aws", "network");
        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);

        listener.Forget();
        await client.Approve(run.Id, "approve-plan");
        (await listener.Heard(RunChannels.Events, run.Id.ToString())).Should().BeTrue("live views must hear of the plan approval");

        listener.Forget();
        await client.Approve(run.Id, "approve-apply");
        (await listener.Heard(RunChannels.Queue, "")).Should().BeTrue("the workers must hear of an approved apply");
        (await listener.Heard(RunChannels.Events, run.Id.ToString())).Should().BeTrue("live views must hear of the apply approval");
        await client.WaitFor(run.Id, RunStatus.Completed);

        var second = await client.Trigger((await client.Deployment("aws", "network")).Id);
        await client.WaitFor(second.Id, RunStatus.AwaitingPlanApproval);
        listener.Forget();
        await client.PostEmpty($"/api/v1/deployment-runs/{second.Id}/cancel");
        (await listener.Heard(RunChannels.Events, second.Id.ToString())).Should().BeTrue("live views must hear of the cancel");
    }
}
