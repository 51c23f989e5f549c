using System.Security.Claims;
using System.Text.Json;
using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.DeploymentRuns;

/// <summary>The live event stream of a run (state changes and log lines) over SSE.</summary>
public static class RunEvents
{
    private const int Batch = 1000;

    private const string Exists = "SELECT status FROM deployment_runs WHERE id = @Id";

    private const string After = """
        SELECT seq, kind, text, at FROM run_events
        WHERE run_id = @Id AND seq > @After AND (@Kind::text IS NULL OR kind = @Kind)
        ORDER BY seq LIMIT @Take
        """;

    private sealed record Event
    {
        public required int Seq { get; init; }
        public required string Kind { get; init; }
        public required string Text { get; init; }
        public required DateTimeOffset At { get; init; }
    }

    /// <summary>
    /// GET …/events: every event after <c>Last-Event-ID</c>, then each new one as it happens, until the run is
    /// final. Plain polling of the run works too; this saves clients the wait.
    /// </summary>
    public static async Task Stream(
        Guid id, Db db, RunEventHub hub, StreamLimits limits, CredentialWatch credentials, HttpContext context, CancellationToken ct)
    {
        var status = await db.Read((c, token) => c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(Exists, new { Id = id }, cancellationToken: token)), ct);
        if (status is null)
        {
            await NotFound(id).ExecuteAsync(context);
            return;
        }
        using var slot = limits.TryOpen(context.User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        if (slot is null)
        {
            await limits.TooMany().ExecuteAsync(context);
            return;
        }
        // The stream ends when the client goes away or, within seconds, when the caller's credential no longer stands.
        using var live = credentials.Watch(context.User, ct);
        ct = live.Token;
        var last = int.TryParse(context.Request.Headers["Last-Event-ID"], out var resumed) && resumed >= 0 ? resumed : 0;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.Body.FlushAsync(ct);

        try
        {
            while (!ct.IsCancellationRequested)
            {
                var wake = hub.WaitForEvent(id, TimeSpan.FromSeconds(15), ct);
                var (current, events) = await db.Read(async (c, token) => (
                    await c.QuerySingleAsync<string>(new CommandDefinition(Exists, new { Id = id }, cancellationToken: token)),
                    (await c.QueryAsync<Event>(new CommandDefinition(After, new { Id = id, After = last, Kind = (string?)null, Take = Batch }, cancellationToken: token))).AsList()), ct);
                foreach (var e in events)
                {
                    // `at`: when the line was written (to the log's flush, a fraction of a second) or the status entered.
                    var data = e.Kind == "status" ? JsonSerializer.Serialize(new { status = e.Text, at = e.At }) : JsonSerializer.Serialize(new { line = e.Text, at = e.At });
                    await context.Response.WriteAsync($"id: {e.Seq}\nevent: {e.Kind}\ndata: {data}\n\n", ct);
                    last = e.Seq;
                }
                if (events.Count == Batch) continue;
                if (Enum.Parse<RunStatus>(current, ignoreCase: true).IsTerminal())
                {
                    await context.Response.WriteAsync("event: end\ndata: {}\n\n", ct);
                    return;
                }
                await context.Response.WriteAsync(events.Count == 0 ? ": keep-alive\n\n" : "", ct);
                await context.Response.Body.FlushAsync(ct);
                await wake;
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"Deployment run {id} does not exist.");
}
