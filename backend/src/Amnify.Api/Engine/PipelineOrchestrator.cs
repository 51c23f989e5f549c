using Amnify.Api.Auth;
using Amnify.Api.Failures;
using Dapper;
using Npgsql;

namespace Amnify.Api.Engine;

public enum PipelineRunStatus
{
    Queued = 1,
    Running,
    AwaitingApproval,
    Completed,
    Failed,
    Cancelled,
}

public enum PipelineStepStatus
{
    Pending = 1,
    Running,
    Completed,
    Skipped,
    Failed,
    Cancelled,
    NotRun,
}

/// <summary>
/// Moves pipeline runs along, always inside the transaction of the deployment-run transition that
/// caused the move: when a step's run ends, the step is settled and the next one is queued in the
/// same commit, so no step is lost or started twice across restarts. Each change is a conditional
/// UPDATE on the state it expects.
/// </summary>
public sealed class PipelineOrchestrator(RunQueue queue)
{
    private const string StepOfRun = """
        SELECT s.pipeline_run_id, s.position, p.triggered_by, p.triggered_by_user_id
        FROM pipeline_run_steps s JOIN pipeline_runs p ON p.id = s.pipeline_run_id
        WHERE s.deployment_run_id = @RunId AND s.status = 'running'
        FOR UPDATE OF p
        """;

    private const string SettleStep = """
        UPDATE pipeline_run_steps SET status = @Status, finished_at = now()
        WHERE pipeline_run_id = @PipelineRunId AND position = @Position AND status = 'running'
        """;

    private const string NextStep = """
        SELECT position, deployment_id FROM pipeline_run_steps
        WHERE pipeline_run_id = @PipelineRunId AND position > @Position AND status = 'pending'
        ORDER BY position LIMIT 1
        """;

    private const string StartStep = """
        UPDATE pipeline_run_steps SET status = 'running', deployment_run_id = @DeploymentRunId, started_at = now()
        WHERE pipeline_run_id = @PipelineRunId AND position = @Position AND status = 'pending'
        """;

    private const string SetRunStatus = """
        UPDATE pipeline_runs SET status = @Status, current_position = @Position,
            started_at = COALESCE(started_at, now()),
            finished_at = CASE WHEN @Status IN ('completed', 'failed', 'cancelled') THEN now() END
        WHERE id = @PipelineRunId AND status IN ('queued', 'running', 'awaitingApproval')
        """;

    private const string NotRunRest = """
        UPDATE pipeline_run_steps SET status = 'notRun'
        WHERE pipeline_run_id = @PipelineRunId AND status = 'pending'
        """;

    private sealed record Step
    {
        public required Guid PipelineRunId { get; init; }
        public required int Position { get; init; }
        public required string TriggeredBy { get; init; }
        public Guid? TriggeredByUserId { get; init; }
    }

    private sealed record Pending
    {
        public required int Position { get; init; }
        public required Guid DeploymentId { get; init; }
    }

    private const string LockPipeline = "SELECT name FROM pipelines WHERE id = @PipelineId FOR UPDATE";

    private const string ActiveRun = """
        SELECT id, number FROM pipeline_runs WHERE pipeline_id = @PipelineId AND status IN ('queued', 'running', 'awaitingApproval')
        """;

    private const string SameKey = "SELECT id FROM pipeline_runs WHERE pipeline_id = @PipelineId AND idempotency_key = @IdempotencyKey";

    private const string Unconfigured = """
        SELECT d.name FROM pipeline_steps s JOIN deployments d ON d.id = s.deployment_id
        WHERE s.pipeline_id = @PipelineId AND cardinality(d.missing_variables) > 0 ORDER BY s.position
        """;

    private const string HasSteps = "SELECT EXISTS (SELECT 1 FROM pipeline_steps WHERE pipeline_id = @PipelineId)";

    private const string Create = """
        WITH numbered AS (UPDATE pipelines SET run_count = run_count + 1 WHERE id = @PipelineId RETURNING run_count)
        INSERT INTO pipeline_runs (id, pipeline_id, number, status, triggered_by, triggered_by_user_id, trigger_source, idempotency_key)
        SELECT @Id, @PipelineId, run_count, 'queued', @TriggeredBy, @TriggeredByUserId, @Source, @IdempotencyKey FROM numbered;
        INSERT INTO pipeline_run_steps (pipeline_run_id, position, deployment_id, deployment_name, status)
        SELECT @Id, s.position, s.deployment_id, d.name, 'pending'
        FROM pipeline_steps s JOIN deployments d ON d.id = s.deployment_id
        WHERE s.pipeline_id = @PipelineId;
        """;

    private const string CurrentStep = """
        SELECT s.deployment_run_id FROM pipeline_run_steps s
        WHERE s.pipeline_run_id = @PipelineRunId AND s.status = 'running'
        """;

    private sealed record Active(Guid Id, int Number);

    /// <summary>What a trigger leads to: the new run, or the run an earlier trigger with the same key created.</summary>
    public sealed record Triggered(Guid PipelineRunId, bool Replayed);

    /// <summary>
    /// Snapshots the steps into a new run and queues the first one. An <paramref name="idempotencyKey"/>
    /// already used for this pipeline answers the run it created; the pipeline row lock and unique
    /// indexes make two racing triggers produce one run.
    /// </summary>
    public async Task<Result<Triggered>> Trigger(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineId, Actor triggeredBy, string source, string? idempotencyKey)
    {
        if (await connection.QuerySingleOrDefaultAsync<string>(LockPipeline, new { PipelineId = pipelineId }, transaction) is null)
            return Failure.NotFound($"Pipeline {pipelineId}");
        if (idempotencyKey is not null
            && await connection.QuerySingleOrDefaultAsync<Guid?>(SameKey, new { PipelineId = pipelineId, IdempotencyKey = idempotencyKey }, transaction) is { } earlier)
            return new Triggered(earlier, Replayed: true);
        if (await connection.QuerySingleOrDefaultAsync<Active>(ActiveRun, new { PipelineId = pipelineId }, transaction) is { } active)
            return Failure.Conflict($"Run #{active.Number} ({active.Id}) of this pipeline is still active; one run at a time.");
        var unconfigured = (await connection.QueryAsync<string>(Unconfigured, new { PipelineId = pipelineId }, transaction)).ToList();
        if (unconfigured.Count > 0)
            return Failure.Conflict($"Deployment {string.Join(", ", unconfigured.Select(n => $"'{n}'"))} needs configuration before the pipeline can run.");

        if (!await connection.ExecuteScalarAsync<bool>(HasSteps, new { PipelineId = pipelineId }, transaction))
            return Failure.Conflict("The pipeline has no steps yet: add deployments to it before running it.");

        var id = Guid.CreateVersion7();
        await connection.ExecuteAsync(Create, new
        {
            Id = id, PipelineId = pipelineId, TriggeredBy = triggeredBy.Name, TriggeredByUserId = triggeredBy.UserId, Source = source,
            IdempotencyKey = idempotencyKey,
        }, transaction);
        var started = await Advance(connection, transaction, id, 0, triggeredBy);
        if (started.Failure is { } failure) return failure;
        return new Triggered(id, Replayed: false);
    }

    /// <summary>Cancels the pipeline run and its current step's deployment run; later steps are not run.</summary>
    public async Task<Result<bool>> Cancel(
        NpgsqlConnection connection, NpgsqlTransaction transaction, RunTransitions transitions, Guid pipelineRunId, string actor)
    {
        var current = await connection.QuerySingleOrDefaultAsync<Guid?>(CurrentStep, new { PipelineRunId = pipelineRunId }, transaction);
        if (current is { } runId)
        {
            var cancelled = await transitions.Apply(connection, transaction, runId, RunTrigger.Cancel, new { Actor = actor, Reason = "The pipeline run was cancelled." });
            // The step's own transition stopped the pipeline run; if the step could not be cancelled, neither can the pipeline.
            if (cancelled is null)
                return Failure.Conflict("The current step is applying or destroying: the cloud is being changed; wait for the step to finish.");
        }
        else if (!await Stop(connection, transaction, pipelineRunId, PipelineRunStatus.Cancelled, null))
        {
            return Failure.Conflict("The pipeline run has already finished.");
        }
        await connection.ExecuteAsync("UPDATE pipeline_runs SET cancelled_by = @Actor WHERE id = @Id", new { Actor = actor, Id = pipelineRunId }, transaction);
        return true;
    }

    /// <summary>Queues the deployment run of the first pending step after <paramref name="after"/>, or completes the pipeline run.</summary>
    /// <param name="triggeredBy">Who triggered the pipeline run: each step's deployment run counts them (a CI token, its owner) as its triggerer.</param>
    public async Task<Result<bool>> Advance(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int after, Actor triggeredBy)
    {
        var next = await connection.QuerySingleOrDefaultAsync<Pending>(NextStep, new { PipelineRunId = pipelineRunId, Position = after }, transaction);
        if (next is null)
        {
            await SetStatus(connection, transaction, pipelineRunId, PipelineRunStatus.Completed, null);
            return true;
        }
        var run = await queue.Enqueue(connection, transaction, next.DeploymentId, RunOperation.Execute, triggeredBy, pipelineRunId);
        if (run.Failure is { } failure) return failure;
        await connection.ExecuteAsync(StartStep, new { PipelineRunId = pipelineRunId, next.Position, DeploymentRunId = run.Value }, transaction);
        await SetStatus(connection, transaction, pipelineRunId, PipelineRunStatus.Running, next.Position);
        return true;
    }

    /// <summary>Called by <see cref="RunTransitions"/> for every transition of a run that belongs to a pipeline run.</summary>
    public async Task DeploymentRunChanged(NpgsqlConnection connection, NpgsqlTransaction transaction, TransitionedRun run)
    {
        var step = await connection.QuerySingleOrDefaultAsync<Step>(StepOfRun, new { RunId = run.Id }, transaction);
        if (step is null) return; // the pipeline run was cancelled meanwhile, or this is not its current step

        if (!run.Status.IsTerminal())
        {
            var status = run.Status.AwaitsApproval() ? PipelineRunStatus.AwaitingApproval : PipelineRunStatus.Running;
            await SetStatus(connection, transaction, step.PipelineRunId, status, step.Position);
            return;
        }

        var stepStatus = run.Status switch
        {
            RunStatus.Completed or RunStatus.Destroyed => PipelineStepStatus.Completed,
            RunStatus.NoChanges => PipelineStepStatus.Skipped,
            RunStatus.Cancelled => PipelineStepStatus.Cancelled,
            _ => PipelineStepStatus.Failed,
        };
        await connection.ExecuteAsync(SettleStep, new { step.PipelineRunId, step.Position, Status = Code(stepStatus) }, transaction);
        if (stepStatus is PipelineStepStatus.Completed or PipelineStepStatus.Skipped)
        {
            var advanced = await Advance(connection, transaction, step.PipelineRunId, step.Position, new Actor(step.TriggeredBy, step.TriggeredByUserId));
            if (advanced.Failure is null) return;
            // The next deployment can no longer run (e.g. it now needs configuration): the pipeline stops there.
            await Stop(connection, transaction, step.PipelineRunId, PipelineRunStatus.Failed, step.Position);
            return;
        }
        await Stop(connection, transaction, step.PipelineRunId,
            stepStatus == PipelineStepStatus.Cancelled ? PipelineRunStatus.Cancelled : PipelineRunStatus.Failed, step.Position);
    }

    /// <summary>Ends the pipeline run; steps that had not started are marked not run.</summary>
    public static async Task<bool> Stop(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, PipelineRunStatus status, int? position)
    {
        var stopped = await SetStatus(connection, transaction, pipelineRunId, status, position);
        if (stopped) await connection.ExecuteAsync(NotRunRest, new { PipelineRunId = pipelineRunId }, transaction);
        return stopped;
    }

    private static async Task<bool> SetStatus(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, PipelineRunStatus status, int? position)
    {
        var changed = await connection.ExecuteAsync(SetRunStatus, new { PipelineRunId = pipelineRunId, Status = Code(status), Position = position }, transaction) > 0;
        await connection.ExecuteAsync("SELECT pg_notify('amnify_run_events', @Id::text)", new { Id = pipelineRunId }, transaction);
        return changed;
    }

    public static string Code(PipelineRunStatus s) => char.ToLowerInvariant(s.ToString()[0]) + s.ToString()[1..];

    public static string Code(PipelineStepStatus s) => char.ToLowerInvariant(s.ToString()[0]) + s.ToString()[1..];
}
