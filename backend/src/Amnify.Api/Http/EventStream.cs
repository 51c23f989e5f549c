using System.Security.Claims;
using System.Text.Json;
using Amnify.Api.Auth;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Amnify.Api.Http;

/// <summary>
/// One Server-Sent Events response, the same for every stream: a slot under <see cref="StreamLimits"/> (429 past it),
/// the headers proxies need to pass it through unbuffered, typed events with ids, the client's <c>Last-Event-ID</c>,
/// heartbeats while nothing happens, and an end within seconds of the caller's credential no longer standing
/// (<see cref="CredentialWatch"/>) or of the client going away.
/// </summary>
public sealed class EventStream
{
    /// <summary>How long a quiet stream waits before a heartbeat (a comment line), so proxies keep it open.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private readonly HttpContext context;
    private readonly JsonSerializerOptions json;

    private EventStream(HttpContext context, JsonSerializerOptions json)
    {
        this.context = context;
        this.json = json;
        LastEventId = context.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } id ? id : null;
    }

    /// <summary>The id of the last event the client saw (its <c>Last-Event-ID</c> header), or null on a first connection.</summary>
    public string? LastEventId { get; }

    /// <summary>
    /// Opens the stream and runs <paramref name="follow"/> on it until it returns (the stream is over), the client goes
    /// away or the credential stops standing. The caller answers 404 and the like before calling this.
    /// </summary>
    public static async Task Serve(HttpContext context, Func<EventStream, CancellationToken, Task> follow)
    {
        var services = context.RequestServices;
        var limits = services.GetRequiredService<StreamLimits>();
        using var slot = limits.TryOpen(context.User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        if (slot is null)
        {
            await limits.TooMany().ExecuteAsync(context);
            return;
        }
        using var live = services.GetRequiredService<CredentialWatch>().Watch(context.User, context.RequestAborted);
        var ct = live.Token;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        // nginx and others buffer responses unless told not to: a buffered stream is no stream.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var stream = new EventStream(context, services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
        try
        {
            await context.Response.Body.FlushAsync(ct);
            await follow(stream, ct);
        }
        catch (OperationCanceledException)
        {
            // The client went away, or its credential no longer stands.
        }
    }

    /// <summary>Writes one event; <paramref name="id"/> is what the client sends back as Last-Event-ID to resume after it.</summary>
    public Task Send(string type, string? id, object data, CancellationToken ct)
    {
        var idLine = id is null ? "" : $"id: {id}\n";
        return context.Response.WriteAsync($"{idLine}event: {type}\ndata: {JsonSerializer.Serialize(data, data.GetType(), json)}\n\n", ct);
    }

    /// <summary>Sends what was written; a quiet stream also gets a heartbeat so it is not taken for dead.</summary>
    public async Task Flush(bool quiet, CancellationToken ct)
    {
        if (quiet) await context.Response.WriteAsync(": keep-alive\n\n", ct);
        await context.Response.Body.FlushAsync(ct);
    }
}
