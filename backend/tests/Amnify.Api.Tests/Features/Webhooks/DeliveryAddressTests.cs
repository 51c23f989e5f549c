using Amnify.Api.Engine;
using Amnify.Api.Features.Webhooks;

namespace Amnify.Api.Tests.Features.Webhooks;

[CollectionDefinition(nameof(DeliveryAddressCollection))]
public sealed class DeliveryAddressCollection : ICollectionFixture<ApiFactory>;

/// <summary>The address check holds at delivery time too: a name may resolve elsewhere later than when it was registered.</summary>
[Collection(nameof(DeliveryAddressCollection))]
public sealed class DeliveryAddressTests(ApiFactory api)
{
    [Fact]
    public async Task An_address_that_is_private_at_delivery_time_is_not_connected_to()
    {
        await using var receiver = await WebhookReceiver.Start();
        // Registered where private addresses are allowed (and no worker runs), delivered by workers where they are not.
        Webhook webhook;
        await using (var registrar = api.Host(allowPrivate: true, role: "api"))
            webhook = await registrar.Admin().Register(receiver, WebhookEventTypes.ApprovalRequired);
        await using var strict = api.Host(allowPrivate: false);
        var admin = strict.Admin();
        await admin.SyncExamples();

        var deployment = await admin.Deployment("aws", "network");
        var run = await admin.Trigger(deployment.Id);
        await admin.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        var delivery = (await admin.Settled(webhook.Id)).Single();
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");

        receiver.Requests.Should().BeEmpty();
        delivery.Status.Should().Be("failed");
        delivery.Log.Should().HaveCount(6).And.OnlyContain(a => a.StatusCode == null && a.Error!.Contains("may not be sent to"));
    }
}
