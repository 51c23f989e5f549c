using System.Net;
using Amnify.Api.Features.Webhooks;

namespace Amnify.Api.Tests.Features.Webhooks;

[CollectionDefinition(nameof(CreateWebhookCollection))]
public sealed class CreateWebhookCollection : ICollectionFixture<ApiFactory>;

[Collection(nameof(CreateWebhookCollection))]
public sealed class CreateWebhookTests(ApiFactory api)
{
    [Fact]
    public async Task The_secret_is_shown_once_and_stored_sealed()
    {
        await using var host = api.Host(role: "api");
        var admin = host.Admin();
        await using var receiver = await WebhookReceiver.Start();

        var webhook = await admin.Register(receiver);

        receiver.Secret.Should().StartWith("whsec_");
        var listed = await admin.GetStringAsync("/api/v1/webhooks");
        listed.Should().Contain(webhook.Id.ToString()).And.NotContain(receiver.Secret!).And.NotContain(receiver.Secret![6..]);
        (await api.DatabaseContains(receiver.Secret![6..])).Should().BeFalse();
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://192.168.0.10/hook")]
    [InlineData("http://[::1]/hook")]
    public async Task Loopback_link_local_and_private_addresses_are_refused_unless_allowed(string url)
    {
        await using var host = api.Host(allowPrivate: false, role: "api");

        var response = await host.Admin().PostJson("/api/v1/webhooks", new { url });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ReadProblem()).Errors.Should().ContainKey("url");
    }

    [Fact]
    public async Task An_unknown_event_type_is_refused_naming_the_field()
    {
        await using var host = api.Host(role: "api");

        var response = await host.Admin().PostJson("/api/v1/webhooks", new { url = "http://127.0.0.1:9/hook", eventTypes = new[] { "run.exploded" } });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ReadProblem()).Errors!.Keys.Should().ContainSingle().Which.Should().StartWith("eventTypes");
    }

    [Fact]
    public async Task Deleting_an_endpoint_removes_it()
    {
        await using var host = api.Host(role: "api");
        var admin = host.Admin();
        await using var receiver = await WebhookReceiver.Start();
        var webhook = await admin.Register(receiver, WebhookEventTypes.ApprovalRequired);

        (await admin.DeleteAsync($"/api/v1/webhooks/{webhook.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await admin.GetStringAsync("/api/v1/webhooks")).Should().NotContain(webhook.Id.ToString());
        (await admin.GetAsync($"/api/v1/webhooks/{webhook.Id}/deliveries")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
