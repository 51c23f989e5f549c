using System.Security.Claims;
using System.Text.Json;
using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Http;
using Dapper;

namespace Amnify.Api.Features.PipelineRuns;

/// <summary>GET …/events: an <c>update</c> event whenever the run or one of its steps changes, and <c>end</c> when it is final.</summary>
public static class PipelineRunEvents
{
    // A fingerprint of everything the run view shows; a new one means "something changed".
    private const string Fingerprint = """
        SELECT r.status || ':' || coalesce(r.current_position, 0) || ':' ||
               coalesce((SELECT string_agg(s.status || '/' || coalesce(d.status, '') || '/' || coalesce(d.event_seq, 0), ',' ORDER BY s.position)
                         FROM pipeline_run_steps s LEFT JOIN deployment_runs d ON d.id = s.deployment_run_id
                         WHERE s.pipeline_run_id = r.id), '') AS fingerprint,
               r.status
        FROM pipeline_runs r WHERE r.id = @Id
        """;

    private const string StepRuns = "SELECT deployment_run_id FROM pipeline_run_steps WHERE pipeline_run_id = @Id AND status = 'running'";

    private sealed record State(string Fingerprint, PipelineRunStatus Status);

    public static async Task Stream(
        Guid id, Db db, RunEventHub hub, StreamLimits limits, CredentialWatch credentials, HttpContext context, CancellationToken ct)
    {
        var state = await db.Read((c, token) => c.QuerySingleOrDefaultAsync<State>(new CommandDefinition(Fingerprint, new { Id = id }, cancellationToken: token)), ct);
        if (state is null)
        {
            await Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"Pipeline run {id} does not exist.")
                .ExecuteAsync(context);
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
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        string? sent = null;
        var counter = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                // Wake on the pipeline run's own events and on those of its current step's deployment run.
                var current = await db.Read((c, token) => c.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(StepRuns, new { Id = id }, cancellationToken: token)), ct);
                var wake = Task.WhenAny(hub.WaitForEvent(id, TimeSpan.FromSeconds(15), ct),
                    current is { } runId ? hub.WaitForEvent(runId, TimeSpan.FromSeconds(15), ct) : Task.Delay(Timeout.Infinite, ct));
                state = await db.Read((c, token) => c.QuerySingleAsync<State>(new CommandDefinition(Fingerprint, new { Id = id }, cancellationToken: token)), ct);
                if (state.Fingerprint != sent)
                {
                    sent = state.Fingerprint;
                    await context.Response.WriteAsync($"id: {++counter}\nevent: update\ndata: {JsonSerializer.Serialize(new { status = state.Status.Code() })}\n\n", ct);
                }
                if (state.Status is PipelineRunStatus.Completed or PipelineRunStatus.Failed or PipelineRunStatus.Cancelled)
                {
                    await context.Response.WriteAsync("event: end\ndata: {}\n\n", ct);
                    return;
                }
                await context.Response.WriteAsync(": keep-alive\n\n", ct);
                await context.Response.Body.FlushAsync(ct);
                await wake;
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }
}
