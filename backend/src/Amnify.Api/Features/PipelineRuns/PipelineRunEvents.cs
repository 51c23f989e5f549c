using System.Text.Json;
using System.Text.Json.Serialization;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Http;
using Amnify.Api.Terraform;
using Dapper;

namespace Amnify.Api.Features.PipelineRuns;

/// <summary><c>run</c>: the pipeline run's status or current step changed.</summary>
public sealed record PipelineRunChangedEvent
{
    public required PipelineRunStatus Status { get; init; }
    public int? CurrentStepPosition { get; init; }
    public DateTimeOffset At { get; init; }
}

/// <summary><c>step</c>: a step's status, or the status of its deployment run, changed.</summary>
public sealed record PipelineStepChangedEvent
{
    public required int Position { get; init; }
    public required string DeploymentName { get; init; }
    public required PipelineStepStatus Status { get; init; }
    public Guid? DeploymentRunId { get; init; }
    public RunStatus? DeploymentRunStatus { get; init; }
    /// <summary>The plan of the step's deployment run, once it has one.</summary>
    public PlanSummary? Plan { get; init; }
    public DateTimeOffset At { get; init; }
}

/// <summary>
/// GET …/events: the pipeline run's stream, read from the events M0012's triggers write in each transition's own
/// transaction — <c>run</c>, <c>step</c>, <c>approvalRequired</c> — then <c>end</c> when the run is final. Ids are the
/// run's event numbers, so <c>Last-Event-ID</c> resumes exactly after what the client saw.
/// </summary>
public static class PipelineRunEvents
{
    private const int Batch = 500;

    private const string Status = "SELECT status FROM pipeline_runs WHERE id = @Id";

    private const string After = """
        SELECT pipeline_seq AS seq, type, data::text AS data, at FROM events
        WHERE pipeline_run_id = @Id AND pipeline_seq > @After
        ORDER BY pipeline_seq LIMIT @Take
        """;

    private sealed record Event
    {
        public required int Seq { get; init; }
        public required string Type { get; init; }
        public required string Data { get; init; }
        public DateTimeOffset At { get; init; }
    }

    private sealed record Query(Guid Id, int After, int Take);

    /// <summary>The stored payloads carry more than each SSE event shows (they are also the webhooks' data).</summary>
    private static readonly JsonSerializerOptions Stored = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    public static async Task Stream(Guid id, Db db, RunEventHub hub, HttpContext context, CancellationToken ct)
    {
        var exists = await db.Read((c, token) => c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(Status, new { Id = id }, cancellationToken: token)), ct);
        if (exists is null)
        {
            await Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"Pipeline run {id} does not exist.")
                .ExecuteAsync(context);
            return;
        }
        await EventStream.Serve(context, async (stream, token) =>
        {
            var last = int.TryParse(stream.LastEventId, out var resumed) && resumed >= 0 ? resumed : 0;
            while (true)
            {
                // The triggers announce every event of the run on its own id, its steps' changes included.
                var wake = hub.WaitForEvent(id, EventStream.Heartbeat, token);
                var (status, events) = await db.Read(async (c, t) => (
                    Enum.Parse<PipelineRunStatus>(await c.QuerySingleAsync<string>(new CommandDefinition(Status, new { Id = id }, cancellationToken: t)), ignoreCase: true),
                    (await c.QueryAsync<Event>(new CommandDefinition(After, new Query(id, last, Batch), cancellationToken: t))).AsList()), token);
                foreach (var e in events)
                {
                    if (Typed(e) is var (type, data)) await stream.Send(type, $"{e.Seq}", data, token);
                    last = e.Seq;
                }
                if (events.Count == Batch) continue;
                if (status.IsTerminal())
                {
                    await stream.Send("end", null, new StreamEndEvent(status.Code()), token);
                    return;
                }
                await stream.Flush(quiet: events.Count == 0, token);
                await wake;
            }
        });
    }

    private static (string Type, object Data)? Typed(Event e)
    {
        var data = JsonDocument.Parse(e.Data).RootElement;
        return e.Type switch
        {
            "pipelineRun.status" => ("run", data.Deserialize<PipelineRunChangedEvent>(Stored)! with { At = e.At }),
            "pipelineRun.step" => ("step", data.Deserialize<PipelineStepChangedEvent>(Stored)! with { At = e.At }),
            "approval.required" => ("approvalRequired", data.Deserialize<ApprovalRequiredEvent>(Stored)!),
            _ => null,
        };
    }
}
