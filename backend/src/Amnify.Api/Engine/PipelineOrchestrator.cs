using Amnify.Api.Auth;
using Amnify.Api.Failures;
using Dapper;
using Npgsql;

namespace Amnify.Api.Engine;

/// <summary>
/// Moves pipeline runs along, always inside the transaction of the deployment-run transition that
/// caused the move: when a step's run ends, the step is settled and the next one is queued in the
/// same commit, so no step is lost or started twice across restarts. Every status change is one of
/// <see cref="PipelineTransitions"/>. It never calls back into <see cref="RunTransitions"/>: cancelling a pipeline
/// run, which cancels a deployment run, is <see cref="RunTransitions.CancelPipelineRun"/>.
/// </summary>
public sealed class PipelineOrchestrator(RunQueue queue)
{
    private const string StepOfRun = """
        SELECT s.pipeline_run_id, s.position, p.triggered_by, p.triggered_by_user_id
        FROM pipeline_run_steps s JOIN pipeline_runs p ON p.id = s.pipeline_run_id
        WHERE s.deployment_run_id = @RunId AND s.status = 'running'
        FOR UPDATE OF p
        """;

    private const string NextStep = """
        SELECT position, deployment_id FROM pipeline_run_steps
        WHERE pipeline_run_id = @PipelineRunId AND position > @Position AND status = 'pending'
        ORDER BY position LIMIT 1
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

    // Spelled as the unique partial index pipeline_runs_one_active is (M0004), so this lookup uses it.
    private const string ActiveRun = $"""
        SELECT id, number FROM pipeline_runs WHERE pipeline_id = @PipelineId AND status IN ({RunStatuses.Sql.PipelineActive})
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

    /// <summary>Queues the deployment run of the first pending step after <paramref name="after"/>, or completes the pipeline run.</summary>
    /// <param name="triggeredBy">Who triggered the pipeline run: each step's deployment run counts them (a CI token, its owner) as its triggerer.</param>
    public async Task<Result<bool>> Advance(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int after, Actor triggeredBy)
    {
        var next = await connection.QuerySingleOrDefaultAsync<Pending>(NextStep, new { PipelineRunId = pipelineRunId, Position = after }, transaction);
        if (next is null)
        {
            await PipelineTransitions.Complete(connection, transaction, pipelineRunId);
            return true;
        }
        var run = await queue.Enqueue(connection, transaction, next.DeploymentId, RunOperation.Execute, triggeredBy, pipelineRunId);
        if (run.Failure is { } failure) return failure;
        await PipelineTransitions.StartStepRun(connection, transaction, pipelineRunId, next.Position, run.Value);
        await PipelineTransitions.StartStep(connection, transaction, pipelineRunId, next.Position);
        return true;
    }

    /// <summary>Called by <see cref="RunTransitions"/> for every transition of a run that belongs to a pipeline run.</summary>
    public async Task DeploymentRunChanged(NpgsqlConnection connection, NpgsqlTransaction transaction, TransitionedRun run)
    {
        var step = await connection.QuerySingleOrDefaultAsync<Step>(StepOfRun, new { RunId = run.Id }, transaction);
        if (step is null) return; // the pipeline run was cancelled meanwhile, or this is not its current step

        if (!run.Status.IsTerminal())
        {
            await PipelineTransitions.StepMoved(connection, transaction, step.PipelineRunId, step.Position, run.Status);
            return;
        }

        var settled = await PipelineTransitions.SettleStep(connection, transaction, step.PipelineRunId, step.Position, run.Status);
        if (settled is PipelineStepTrigger.Complete or PipelineStepTrigger.Skip)
        {
            var advanced = await Advance(connection, transaction, step.PipelineRunId, step.Position, new Actor(step.TriggeredBy, step.TriggeredByUserId));
            if (advanced.Failure is null) return;
            // The next deployment can no longer run (e.g. it now needs configuration): the pipeline stops there.
            await PipelineTransitions.Fail(connection, transaction, step.PipelineRunId, step.Position);
            return;
        }
        await (settled switch
        {
            PipelineStepTrigger.Cancel => PipelineTransitions.Cancel(connection, transaction, step.PipelineRunId, step.Position),
            PipelineStepTrigger.Reject => PipelineTransitions.Reject(connection, transaction, step.PipelineRunId, step.Position),
            PipelineStepTrigger.Expire => PipelineTransitions.Expire(connection, transaction, step.PipelineRunId, step.Position),
            _ => PipelineTransitions.Fail(connection, transaction, step.PipelineRunId, step.Position),
        });
    }
}
