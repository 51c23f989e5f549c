using Amnify.Api.Engine;
using Amnify.Api.Features.Webhooks;

namespace Amnify.Api.Tests.Features.Webhooks;

[CollectionDefinition(nameof(WebhookRestartCollection))]
public sealed class WebhookRestartCollection : ICollectionFixture<ApiFactory>;

/// <summary>Stopping the workers mid-way loses no event and sends none twice: the next worker carries on where they stopped.</summary>
[Collection(nameof(WebhookRestartCollection))]
public sealed class WebhookRestartTests(ApiFactory api)
{
    [Fact]
    public async Task Across_a_worker_restart_each_event_is_delivered_exactly_once()
    {
        await using var receiver = await WebhookReceiver.Start();
        receiver.Answer = (_, _) => 500;
        Guid runId;
        Webhook webhook;
        // Attempts enough that none runs out while the first workers wait for the run, however slow the machine.
        await using (var first = api.Host(attempts: 200))
        {
            var admin = first.Admin();
            await admin.SyncExamples();
            webhook = await admin.Register(receiver);
            var deployment = await admin.Deployment("aws", "network");
            runId = (await admin.Trigger(deployment.Id)).Id;
            await admin.WaitFor(runId, RunStatus.AwaitingPlanApproval);
            await receiver.Until(r => r.Count >= 3);
        }

        // While no worker runs, more happens: the events wait in the outbox.
        receiver.Answer = (_, _) => 200;
        await using var second = api.Host(attempts: 200);
        var again = second.Admin();
        await again.PostEmpty($"/api/v1/deployment-runs/{runId}/cancel");
        var deliveries = await again.Settled(webhook.Id, atLeast: 6);

        deliveries.Should().OnlyContain(d => d.Status == "delivered");
        var answered = receiver.Requests.Where(r => r.Answered == 200).Select(r => r.Id).ToList();
        answered.Should().OnlyHaveUniqueItems("no event is delivered twice").And.BeEquivalentTo(deliveries.Select(d => d.EventId.ToString()), "none is lost");
        receiver.Requests.Should().OnlyContain(r => r.Verified);
        receiver.Requests.Where(r => r.Type == WebhookEventTypes.DeploymentRunStatus && r.Data.Text("deploymentRunId") == runId.ToString() && r.Answered == 200)
            .Select(r => r.Data.Text("status")).Should().Contain(["queued", "awaitingPlanApproval", "cancelled"]);
    }
}
