using System.Text.Json;
using Amnify.Api.Auth;
using Amnify.Api.Failures;
using Amnify.Api.Features.Templates;
using Dapper;
using Npgsql;

namespace Amnify.Api.Engine;

/// <summary>
/// A step input as frozen into a pipeline run: the variable, and the step (by its position in this run) and deployment
/// whose output fills it. Resuming copies it as it is, so later edits of the pipeline never change it.
/// </summary>
public sealed record FrozenInput
{
    public required string Variable { get; init; }
    public required int FromPosition { get; init; }
    public required Guid FromDeploymentId { get; init; }
    public required string FromDeploymentName { get; init; }
    public required string Output { get; init; }
}

/// <summary>
/// Moves pipeline runs along, always inside the transaction of the deployment-run transition that
/// caused the move: when a step's run ends, the step is settled and the next one is queued in the
/// same commit, so no step is lost or started twice across restarts. Every status change is one of
/// <see cref="PipelineTransitions"/>. It never calls back into <see cref="RunTransitions"/>: cancelling a pipeline
/// run, which cancels a deployment run, is <see cref="RunTransitions.CancelPipelineRun"/>.
/// </summary>
public sealed class PipelineOrchestrator(RunQueue queue, StateRole state)
{
    private const string StepOfRun = """
        SELECT s.pipeline_run_id, s.position, p.triggered_by, p.triggered_by_user_id
        FROM pipeline_run_steps s JOIN pipeline_runs p ON p.id = s.pipeline_run_id
        WHERE s.deployment_run_id = @RunId AND s.status = 'running'
        FOR UPDATE OF p
        """;

    private const string NextStep = """
        SELECT s.position, s.deployment_id, s.deployment_name, s.inputs, r.operation, d.has_infrastructure,
               v.variables AS template_variables
        FROM pipeline_run_steps s
        JOIN pipeline_runs r ON r.id = s.pipeline_run_id
        JOIN deployments d ON d.id = s.deployment_id
        JOIN templates t ON t.id = d.template_id
        JOIN template_versions v ON v.id = t.current_version_id
        WHERE s.pipeline_run_id = @PipelineRunId AND s.position > @Position AND s.status = 'pending'
        ORDER BY s.position LIMIT 1
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
        public required string DeploymentName { get; init; }
        public required FrozenInput[] Inputs { get; init; }
        public required RunOperation Operation { get; init; }
        public required bool HasInfrastructure { get; init; }
        public required TemplateVariable[] TemplateVariables { get; init; }
    }

    private const string LockPipeline = "SELECT name FROM pipelines WHERE id = @PipelineId FOR UPDATE";

    // Spelled as the unique partial index pipeline_runs_one_active is (M0004), so this lookup uses it.
    private const string ActiveRun = $"""
        SELECT id, number FROM pipeline_runs WHERE pipeline_id = @PipelineId AND status IN ({RunStatuses.Sql.PipelineActive})
        """;

    private const string SameKey = "SELECT id FROM pipeline_runs WHERE pipeline_id = @PipelineId AND idempotency_key = @IdempotencyKey";

    // A variable wired to an earlier step's output needs no value of its own.
    private const string Unconfigured = """
        SELECT d.name FROM pipeline_steps s JOIN deployments d ON d.id = s.deployment_id
        WHERE s.pipeline_id = @PipelineId
          AND EXISTS (SELECT unnest(d.missing_variables) EXCEPT SELECT i.variable FROM pipeline_step_inputs i WHERE i.step_id = s.id)
        ORDER BY s.position
        """;

    private const string HasSteps = "SELECT EXISTS (SELECT 1 FROM pipeline_steps WHERE pipeline_id = @PipelineId)";

    // A destroy runs the steps in reverse: the last step first, so what depends on a step goes before it.
    private const string Create = """
        WITH numbered AS (UPDATE pipelines SET run_count = run_count + 1 WHERE id = @PipelineId RETURNING run_count)
        INSERT INTO pipeline_runs (id, pipeline_id, number, status, operation, triggered_by, triggered_by_user_id, trigger_source, idempotency_key)
        SELECT @Id, @PipelineId, run_count, 'queued', @Operation, @TriggeredBy, @TriggeredByUserId, @Source, @IdempotencyKey FROM numbered;
        INSERT INTO pipeline_run_steps (pipeline_run_id, position, deployment_id, deployment_name, status, inputs)
        SELECT @Id, CASE WHEN @Operation = 'destroy' THEN n.count + 1 - s.position ELSE s.position END, s.deployment_id, d.name, 'pending',
               COALESCE((
                   SELECT jsonb_agg(jsonb_build_object(
                       'variable', i.variable,
                       'fromPosition', CASE WHEN @Operation = 'destroy' THEN n.count + 1 - f.position ELSE f.position END,
                       'fromDeploymentId', f.deployment_id, 'fromDeploymentName', fd.name, 'output', i.output) ORDER BY i.variable)
                   FROM pipeline_step_inputs i JOIN pipeline_steps f ON f.id = i.from_step_id JOIN deployments fd ON fd.id = f.deployment_id
                   WHERE i.step_id = s.id), '[]')
        FROM pipeline_steps s JOIN deployments d ON d.id = s.deployment_id
        CROSS JOIN (SELECT count(*)::int AS count FROM pipeline_steps WHERE pipeline_id = @PipelineId) n
        WHERE s.pipeline_id = @PipelineId;
        """;

    private const string Earlier = "SELECT pipeline_id, number, status FROM pipeline_runs WHERE id = @Id";

    private sealed record EarlierRun(Guid PipelineId, int Number, PipelineRunStatus Status);

    // The earlier run's frozen steps, as they were: what completed or was skipped there is skipped here, with a link to
    // the deployment run that did it; the rest runs again.
    private const string CreateResumed = """
        WITH numbered AS (UPDATE pipelines SET run_count = run_count + 1 WHERE id = @PipelineId RETURNING run_count)
        INSERT INTO pipeline_runs (id, pipeline_id, number, status, operation, resumed_from_run_id, triggered_by, triggered_by_user_id,
                                   trigger_source, idempotency_key)
        SELECT @Id, @PipelineId, run_count, 'queued', e.operation, e.id, @TriggeredBy, @TriggeredByUserId, @Source, @IdempotencyKey
        FROM numbered, pipeline_runs e WHERE e.id = @EarlierId;
        INSERT INTO pipeline_run_steps (pipeline_run_id, position, deployment_id, deployment_name, status, inputs, skip_reason,
                                        deployment_run_id, finished_at)
        SELECT @Id, e.position, e.deployment_id, e.deployment_name, CASE WHEN x.done THEN 'skipped' ELSE 'pending' END, e.inputs,
               CASE WHEN x.done THEN 'completedInEarlierRun' END, CASE WHEN x.done THEN e.deployment_run_id END,
               CASE WHEN x.done THEN now() END
        FROM pipeline_run_steps e CROSS JOIN LATERAL (SELECT e.status IN ('completed', 'skipped') AS done) x
        WHERE e.pipeline_run_id = @EarlierId;
        """;

    private sealed record Active(Guid Id, int Number);

    /// <summary>What a trigger leads to: the new run, or the run an earlier trigger with the same key created.</summary>
    public sealed record Triggered(Guid PipelineRunId, bool Replayed);

    /// <summary>
    /// Snapshots the steps (in reverse for a destroy) into a new run and queues the first one. An
    /// <paramref name="idempotencyKey"/> already used for this pipeline answers the run it created; the pipeline row lock
    /// and unique indexes make two racing triggers produce one run.
    /// </summary>
    public async Task<Result<Triggered>> Trigger(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineId, RunOperation operation, Actor triggeredBy, string source,
        string? idempotencyKey, CancellationToken cancellationToken = default)
    {
        if (await Admit(connection, transaction, pipelineId, idempotencyKey, cancellationToken) is { } refusal) return refusal;
        var unconfigured = (await connection.QueryAsync<string>(Command(Unconfigured, new { PipelineId = pipelineId }, transaction, cancellationToken))).ToList();
        if (unconfigured.Count > 0)
            return Failure.Conflict($"Deployment {string.Join(", ", unconfigured.Select(n => $"'{n}'"))} needs configuration before the pipeline can run.");

        if (!await connection.ExecuteScalarAsync<bool>(Command(HasSteps, new { PipelineId = pipelineId }, transaction, cancellationToken)))
            return Failure.Conflict("The pipeline has no steps yet: add deployments to it before running it.");

        var id = Guid.CreateVersion7();
        await connection.ExecuteAsync(Command(Create, new
        {
            Id = id, PipelineId = pipelineId, Operation = operation.Code(), TriggeredBy = triggeredBy.Name, TriggeredByUserId = triggeredBy.UserId,
            Source = source, IdempotencyKey = idempotencyKey,
        }, transaction, cancellationToken));
        var started = await Advance(connection, transaction, id, 0, triggeredBy, cancellationToken);
        if (started.Failure is { } failure) return failure;
        return new Triggered(id, Replayed: false);
    }

    /// <summary>
    /// A new run of the same pipeline from the frozen steps and inputs of the failed or cancelled run
    /// <paramref name="earlierId"/> (never the pipeline's current definition), starting at its first step that did not complete.
    /// </summary>
    public async Task<Result<Triggered>> Resume(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid earlierId, Actor triggeredBy, string source, string? idempotencyKey,
        CancellationToken cancellationToken = default)
    {
        var earlier = await connection.QuerySingleOrDefaultAsync<EarlierRun>(Command(Earlier, new { Id = earlierId }, transaction, cancellationToken));
        if (earlier is null) return Failure.NotFound($"Pipeline run {earlierId}");
        if (await Admit(connection, transaction, earlier.PipelineId, idempotencyKey, cancellationToken) is { } refusal) return refusal;
        if (!earlier.Status.CanResume())
            return Failure.Conflict($"Run #{earlier.Number} is {earlier.Status.Code()}; only a run that stopped short (failed, cancelled, rejected or expired) can be resumed.");

        var id = Guid.CreateVersion7();
        await connection.ExecuteAsync(Command(CreateResumed, new
        {
            Id = id, earlier.PipelineId, EarlierId = earlierId, TriggeredBy = triggeredBy.Name, TriggeredByUserId = triggeredBy.UserId,
            Source = source, IdempotencyKey = idempotencyKey,
        }, transaction, cancellationToken));
        var started = await Advance(connection, transaction, id, 0, triggeredBy, cancellationToken);
        if (started.Failure is { } failure) return failure;
        return new Triggered(id, Replayed: false);
    }

    /// <summary>Locks the pipeline; answers a replay for a known key, a refusal while a run is active, or null to go on.</summary>
    private static async Task<Result<Triggered>?> Admit(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineId, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (await connection.QuerySingleOrDefaultAsync<string>(Command(LockPipeline, new { PipelineId = pipelineId }, transaction, cancellationToken)) is null)
            return Failure.NotFound($"Pipeline {pipelineId}");
        if (idempotencyKey is not null
            && await connection.QuerySingleOrDefaultAsync<Guid?>(Command(SameKey, new { PipelineId = pipelineId, IdempotencyKey = idempotencyKey }, transaction, cancellationToken)) is { } earlier)
            return new Triggered(earlier, Replayed: true);
        if (await connection.QuerySingleOrDefaultAsync<Active>(Command(ActiveRun, new { PipelineId = pipelineId }, transaction, cancellationToken)) is { } active)
            return Failure.Conflict($"Run #{active.Number} ({active.Id}) of this pipeline is still active; one run at a time.");
        return null;
    }

    /// <summary>
    /// Queues the deployment run of the first pending step after <paramref name="after"/>, or completes the pipeline run.
    /// A destroy passes over steps with nothing to destroy; a step whose inputs cannot be filled fails before its run exists.
    /// </summary>
    /// <param name="triggeredBy">Who triggered the pipeline run: each step's deployment run counts them (a CI token, its owner) as its triggerer.</param>
    public async Task<Result<bool>> Advance(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int after, Actor triggeredBy,
        CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var next = await connection.QuerySingleOrDefaultAsync<Pending>(Command(NextStep, new { PipelineRunId = pipelineRunId, Position = after }, transaction, cancellationToken));
            if (next is null)
            {
                await PipelineTransitions.Complete(connection, transaction, pipelineRunId, cancellationToken);
                return true;
            }
            if (next.Operation == RunOperation.Destroy && !next.HasInfrastructure)
            {
                await PipelineTransitions.BypassStep(connection, transaction,
                    new PipelineTransitions.StepBypass(pipelineRunId, next.Position, StepSkipReason.NothingToDestroy.Code()), cancellationToken);
                after = next.Position;
                continue;
            }
            var overrides = await Resolve(next, cancellationToken);
            if (overrides.Failure is { } missing)
            {
                await PipelineTransitions.RefuseStep(connection, transaction,
                    new PipelineTransitions.StepRefusal(pipelineRunId, next.Position, missing.Detail), cancellationToken);
                await PipelineTransitions.Fail(connection, transaction, pipelineRunId, next.Position, cancellationToken);
                return true;
            }
            var run = await queue.Enqueue(connection, transaction, next.DeploymentId, next.Operation, triggeredBy, pipelineRunId, overrides.Value, cancellationToken);
            if (run.Failure is { } failure) return failure;
            await PipelineTransitions.StartStepRun(connection, transaction, pipelineRunId, next.Position, run.Value, cancellationToken);
            await PipelineTransitions.StartStep(connection, transaction, pipelineRunId, next.Position, cancellationToken);
            return true;
        }
    }

    /// <summary>
    /// The values of a step's inputs: each source deployment's outputs as its Terraform state holds them now (what the
    /// source step applied in this run, or what was already there when it was skipped). A missing output or a value the
    /// variable cannot take fails the step, saying which output of which step should have filled what.
    /// </summary>
    private async Task<Result<IReadOnlyList<VariableOverride>>> Resolve(Pending step, CancellationToken cancellationToken)
    {
        if (step.Inputs.Length == 0) return Array.Empty<VariableOverride>();
        var variables = step.TemplateVariables.ToDictionary(v => v.Name);
        var states = new Dictionary<Guid, Dictionary<string, StateOutput>?>();
        var overrides = new List<VariableOverride>();
        foreach (var input in step.Inputs)
        {
            if (!states.TryGetValue(input.FromDeploymentId, out var outputs))
                states[input.FromDeploymentId] = outputs = await state.ReadOutputs(input.FromDeploymentId, cancellationToken);
            var origin = $"step {input.FromPosition} · {input.FromDeploymentName} · output {input.Output}";
            var wanted = $"Step {step.Position} ('{step.DeploymentName}') takes {input.Variable} from output '{input.Output}' of step {input.FromPosition} ('{input.FromDeploymentName}')";
            if (outputs is null || !outputs.TryGetValue(input.Output, out var output))
                return Failure.Conflict(outputs is null
                    ? $"{wanted}, but '{input.FromDeploymentName}' has not been applied: it has no outputs."
                    : $"{wanted}, but '{input.FromDeploymentName}' has no output '{input.Output}' in its current state.");
            if (!variables.TryGetValue(input.Variable, out var variable))
                return Failure.Conflict($"{wanted}, but the template of '{step.DeploymentName}' no longer declares {input.Variable}.");
            if (VariableValues.CheckValue(variable, output.Value, input.Variable).FirstOrDefault() is { Message: { } problem })
                return Failure.Conflict($"{wanted}, but that value does not fit {input.Variable}: {problem}");
            overrides.Add(new VariableOverride(input.Variable, output.Value, variable.Sensitive || output.Sensitive, origin));
        }
        return overrides;
    }

    /// <summary>Called by <see cref="RunTransitions"/> for every transition of a run that belongs to a pipeline run.</summary>
    public async Task DeploymentRunChanged(NpgsqlConnection connection, NpgsqlTransaction transaction, TransitionedRun run, CancellationToken cancellationToken = default)
    {
        var step = await connection.QuerySingleOrDefaultAsync<Step>(Command(StepOfRun, new { RunId = run.Id }, transaction, cancellationToken));
        if (step is null) return; // the pipeline run was cancelled meanwhile, or this is not its current step

        if (!run.Status.IsTerminal())
        {
            await PipelineTransitions.StepMoved(connection, transaction, step.PipelineRunId, step.Position, run.Status, cancellationToken);
            return;
        }

        var settled = await PipelineTransitions.SettleStep(connection, transaction, step.PipelineRunId, step.Position, run.Status, cancellationToken);
        if (settled is PipelineStepTrigger.Complete or PipelineStepTrigger.Skip)
        {
            var advanced = await Advance(connection, transaction, step.PipelineRunId, step.Position, new Actor(step.TriggeredBy, step.TriggeredByUserId), cancellationToken);
            if (advanced.Failure is null) return;
            // The next deployment can no longer run (e.g. it now needs configuration): the pipeline stops there.
            await PipelineTransitions.Fail(connection, transaction, step.PipelineRunId, step.Position, cancellationToken);
            return;
        }
        await (settled switch
        {
            PipelineStepTrigger.Cancel => PipelineTransitions.Cancel(connection, transaction, step.PipelineRunId, step.Position, cancellationToken),
            PipelineStepTrigger.Reject => PipelineTransitions.Reject(connection, transaction, step.PipelineRunId, step.Position, cancellationToken),
            PipelineStepTrigger.Expire => PipelineTransitions.Expire(connection, transaction, step.PipelineRunId, step.Position, cancellationToken),
            _ => PipelineTransitions.Fail(connection, transaction, step.PipelineRunId, step.Position, cancellationToken),
        });
    }

    private static CommandDefinition Command(string sql, object parameters, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        new(sql, parameters, transaction, cancellationToken: cancellationToken);
}
