using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace Amnify.Api.Tests.Features.Webhooks;

/// <summary>One request the receiver got: the event, whether its Standard Webhooks signature held, and what it answered.</summary>
public sealed record Received(string Id, string Type, JsonElement Data, bool Verified, int Answered, string Path, DateTimeOffset At, DateTimeOffset Timestamp);

/// <summary>
/// A webhook receiver in the test: real Kestrel on a random loopback port, checking every signature with the
/// Standard Webhooks library (not our own code) against the secret it is given, answering what <see cref="Answer"/> says.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<Received> received = new();

    private WebhookReceiver(WebApplication app) => this.app = app;

    public string Url => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

    /// <summary>The endpoint's signing secret, once the API has shown it.</summary>
    public string? Secret { get; set; }

    /// <summary>The status to answer a request with, given how many requests for the same event id came before it.</summary>
    public Func<Received, int, int> Answer { get; set; } = (_, _) => StatusCodes.Status200OK;

    /// <summary>Extra headers for an answer (e.g. Location, Retry-After).</summary>
    public Action<HttpResponse> Headers { get; set; } = _ => { };

    public IReadOnlyList<Received> Requests => received.ToList();

    /// <summary>The requests in the order their events happened (deliveries run in parallel, so they arrive in any order).</summary>
    public IReadOnlyList<Received> InEventOrder => received.OrderBy(r => r.Timestamp).ToList();

    public static async Task<WebhookReceiver> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var verified = false;
            try
            {
                new StandardWebhook(receiver.Secret!).Verify(body, context.Request.Headers);
                verified = true;
            }
            catch (Exception)
            {
                // Recorded as unverified.
            }
            var message = JsonDocument.Parse(body).RootElement;
            var request = new Received(context.Request.Headers["webhook-id"].ToString(), message.GetProperty("type").GetString()!,
                message.GetProperty("data").Clone(), verified, 0, context.Request.Path, DateTimeOffset.UtcNow,
                message.GetProperty("timestamp").GetDateTimeOffset());
            var before = receiver.received.Count(r => r.Id == request.Id);
            var status = receiver.Answer(request, before);
            receiver.received.Enqueue(request with { Answered = status });
            receiver.Headers(context.Response);
            context.Response.StatusCode = status;
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits until <paramref name="condition"/> holds of what was received.</summary>
    public async Task Until(Func<IReadOnlyList<Received>, bool> condition, int seconds = 60)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition(Requests))
        {
            if (DateTime.UtcNow > until)
                throw new Xunit.Sdk.XunitException($"Not received in time; so far: {string.Join(", ", Requests.Select(r => $"{r.Type}/{r.Answered}"))}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
