using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.DeploymentRuns;

/// <summary><c>status</c>: the run entered <see cref="Status"/>.</summary>
public sealed record RunStatusEvent(RunStatus Status, DateTimeOffset At);

/// <summary>
/// <c>log</c>: one line of the run's log, secrets redacted, when it was written (to the log's flush, a fraction of a
/// second), and who wrote it: the engine or Terraform (null for lines older than that distinction).
/// </summary>
public sealed record RunLogEvent(string Line, DateTimeOffset At, LogSource? Source);

/// <summary>Who may give an approval: anyone of at least <see cref="Role"/>, except the users four-eyes shuts out.</summary>
public sealed record Approvers(string Role, Guid[] ExcludedUserIds);

/// <summary><c>approvalRequired</c>: a run waits at a gate for a person.</summary>
public sealed record ApprovalRequiredEvent
{
    /// <summary>plan or apply.</summary>
    public required string Gate { get; init; }
    public required Guid DeploymentRunId { get; init; }
    /// <summary>The pipeline-run step the run belongs to, if any.</summary>
    public int? Position { get; init; }
    public required Approvers Approvers { get; init; }
}

/// <summary><c>end</c>: the stream is over because the run is final, in <see cref="Status"/>.</summary>
public sealed record StreamEndEvent(string Status);

/// <summary>
/// The live event stream of a deployment run over SSE: <c>status</c>, <c>log</c>, <c>approvalRequired</c> (after the
/// status that asks for it), then <c>end</c>. Ids are the run's event numbers (<c>N</c>, and <c>N.1</c> for the
/// approval that status N asks for), so <c>Last-Event-ID</c> resumes exactly after what the client saw.
/// </summary>
public static class RunEvents
{
    private const int Batch = 1000;

    private const string Run = """
        SELECT r.status, r.approval_policy AS policy,
               ARRAY(SELECT x FROM unnest(amnify_apply_gate_excluded(r)) x WHERE x IS NOT NULL) AS apply_excluded_user_ids
        FROM deployment_runs r WHERE r.id = @Id
        """;

    private const string After = """
        SELECT seq, kind, text, at, source FROM run_events
        WHERE run_id = @Id AND seq >= @From
        ORDER BY seq LIMIT @Take
        """;

    private sealed record RunRow
    {
        public required RunStatus Status { get; init; }
        public required ApprovalPolicy Policy { get; init; }
        /// <summary>Whom the apply gate shuts out, by the one definition the approve-apply transition enforces (M0021).</summary>
        public required Guid[] ApplyExcludedUserIds { get; init; }
    }

    private sealed record Event
    {
        public required int Seq { get; init; }
        public required string Kind { get; init; }
        public required string Text { get; init; }
        public required DateTimeOffset At { get; init; }
        public LogSource? Source { get; init; }
    }

    private sealed record Query(Guid Id, int From, int Take);

    /// <summary>Where the client is: after event <c>Seq</c>, and after its <c>Sub</c>-th follow-up (0: the event itself).</summary>
    private readonly record struct Cursor(int Seq, int Sub)
    {
        public static Cursor Parse(string? id)
        {
            var parts = (id ?? "").Split('.');
            return int.TryParse(parts[0], out var seq) && seq >= 0
                ? new Cursor(seq, parts.Length > 1 && int.TryParse(parts[1], out var sub) && sub >= 0 ? sub : 0)
                : new Cursor(0, 0);
        }

        public bool IsBefore(int seq, int sub) => seq > Seq || (seq == Seq && sub > Sub);
    }

    /// <summary>
    /// GET …/events: every event after <c>Last-Event-ID</c>, then each new one as it happens, until the run is
    /// final. Plain polling of the run works too; this saves clients the wait.
    /// </summary>
    public static async Task Stream(Guid id, Db db, RunEventHub hub, HttpContext context, CancellationToken ct)
    {
        var exists = await db.Read((c, token) => c.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(Run, new { Id = id }, cancellationToken: token)), ct);
        if (exists is null)
        {
            await NotFound(id).ExecuteAsync(context);
            return;
        }
        await EventStream.Serve(context, async (stream, token) =>
        {
            var cursor = Cursor.Parse(stream.LastEventId);
            // A first connection starts at event 1; a resumed one re-reads event N for the follow-ups it may not have seen.
            while (true)
            {
                var wake = hub.WaitForEvent(id, EventStream.Heartbeat, token);
                var (run, events) = await db.Read(async (c, t) => (
                    await c.QuerySingleAsync<RunRow>(new CommandDefinition(Run, new { Id = id }, cancellationToken: t)),
                    (await c.QueryAsync<Event>(new CommandDefinition(After, new Query(id, Math.Max(cursor.Seq, 1), Batch), cancellationToken: t))).AsList()), token);
                var sent = 0;
                foreach (var e in events)
                {
                    foreach (var (sub, type, data) in Typed(id, e, run))
                    {
                        if (!cursor.IsBefore(e.Seq, sub)) continue;
                        await stream.Send(type, sub == 0 ? $"{e.Seq}" : $"{e.Seq}.{sub}", data, token);
                        cursor = new Cursor(e.Seq, sub);
                        sent++;
                    }
                }
                if (events.Count == Batch) continue;
                if (run.Status.IsTerminal())
                {
                    await stream.Send("end", null, new StreamEndEvent(run.Status.Code()), token);
                    return;
                }
                await stream.Flush(quiet: sent == 0, token);
                await wake;
            }
        });
    }

    /// <summary>The SSE events one stored event makes, each with its follow-up number.</summary>
    private static IEnumerable<(int Sub, string Type, object Data)> Typed(Guid id, Event e, RunRow run)
    {
        if (e.Kind != "status")
        {
            yield return (0, "log", new RunLogEvent(e.Text, e.At, e.Source));
            yield break;
        }
        var status = Enum.Parse<RunStatus>(e.Text, ignoreCase: true);
        yield return (0, "status", new RunStatusEvent(status, e.At));
        if (Gate(status) is { } gate)
            yield return (1, "approvalRequired", new ApprovalRequiredEvent { Gate = gate, DeploymentRunId = id, Approvers = ApproversOf(gate, run) });
    }

    private static string? Gate(RunStatus status) => status switch
    {
        RunStatus.AwaitingPlanApproval => "plan",
        RunStatus.AwaitingApplyApproval => "apply",
        _ => null,
    };

    /// <summary>The policy's role, less whom the apply gate shuts out: the same answer M0021's trigger gives webhooks.</summary>
    private static Approvers ApproversOf(string gate, RunRow run) =>
        new(run.Policy.ApproverRole == ApproverRole.Admin ? Role.Admin.Code() : RunPermissions.Approves.Code(),
            gate == "apply" ? run.ApplyExcludedUserIds : []);

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"Deployment run {id} does not exist.");
}
