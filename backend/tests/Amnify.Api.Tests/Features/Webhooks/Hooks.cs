using System.Net;
using System.Net.Http.Headers;
using Amnify.Api.Features.Webhooks;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Amnify.Api.Tests.Features.Webhooks;

/// <summary>Hosts on the test database that deliver webhooks quickly, and the calls the tests make on them.</summary>
public static class Hooks
{
    /// <summary>
    /// A host with retries a second apart (<paramref name="attempts"/> in all), polling often. Loopback receivers need
    /// <paramref name="allowPrivate"/>; role <c>api</c> runs no dispatcher.
    /// </summary>
    public static WebApplicationFactory<Program> Host(this ApiFactory api, bool allowPrivate = true, string role = "all", int attempts = 6) =>
        api.WithWebHostBuilder(b =>
        {
            b.UseSetting("Webhooks:AllowPrivateNetworks", allowPrivate ? "true" : "false");
            b.UseSetting("Webhooks:RetryDelaysSeconds", string.Join(',', Enumerable.Repeat(1, attempts - 1)));
            b.UseSetting("Webhooks:PollMilliseconds", "100");
            b.UseSetting("Engine:Role", role);
        });

    public static HttpClient Admin(this WebApplicationFactory<Program> host)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiFactory.AdminToken);
        return client;
    }

    /// <summary>Registers <paramref name="receiver"/> and hands it the secret to verify with.</summary>
    public static async Task<Webhook> Register(this HttpClient admin, WebhookReceiver receiver, params string[] eventTypes)
    {
        var response = await admin.PostJson("/api/v1/webhooks", new { url = receiver.Url, eventTypes, description = "test receiver" });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.Read<CreatedWebhook>();
        receiver.Secret = created.Secret;
        return created.Webhook;
    }

    public static async Task<WebhookDelivery[]> Deliveries(this HttpClient admin, Guid webhookId) =>
        await (await admin.GetAsync($"/api/v1/webhooks/{webhookId}/deliveries?limit=200")).Read<WebhookDelivery[]>();

    /// <summary>Waits until every delivery of the endpoint is settled (none pending) and there are at least <paramref name="atLeast"/>.</summary>
    public static async Task<WebhookDelivery[]> Settled(this HttpClient admin, Guid webhookId, int atLeast = 1, int seconds = 90)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var deliveries = await admin.Deliveries(webhookId);
            if (deliveries.Length >= atLeast && deliveries.All(d => d.Status != "pending")) return deliveries;
            if (DateTime.UtcNow > until)
                throw new Xunit.Sdk.XunitException($"Deliveries not settled: {string.Join(", ", deliveries.Select(d => $"{d.EventType}/{d.Status}/{d.Attempts}"))}");
            await Task.Delay(200);
        }
    }
}
