using Dapper;
using Npgsql;

namespace Amnify.Api.Engine;

/// <summary>
/// The only code that changes a pipeline run's or a step's status: one method per trigger of
/// <see cref="PipelineStateMachine"/>, each one conditional UPDATE (<c>WHERE status IN (from)</c>) in the caller's
/// transaction, written out whole below. A pipeline run's change is announced on the events channel even when the
/// UPDATE finds the run elsewhere, so live views always re-read.
/// </summary>
public static class PipelineTransitions
{
    /// <summary>What every pipeline-run transition reads: the run, and its current step's position (NULL once it has none).</summary>
    public sealed record RunAt(Guid PipelineRunId, int? Position);

    public const string StartStepSql = """
        UPDATE pipeline_runs SET status = 'running', current_position = @Position, started_at = COALESCE(started_at, now()), finished_at = NULL
        WHERE id = @PipelineRunId AND status IN ('queued', 'running')
        """;

    public const string StepAwaitsApprovalSql = """
        UPDATE pipeline_runs SET status = 'awaitingApproval', current_position = @Position, started_at = COALESCE(started_at, now()), finished_at = NULL
        WHERE id = @PipelineRunId AND status IN ('running', 'awaitingApproval')
        """;

    public const string StepWorksSql = """
        UPDATE pipeline_runs SET status = 'running', current_position = @Position, started_at = COALESCE(started_at, now()), finished_at = NULL
        WHERE id = @PipelineRunId AND status IN ('running', 'awaitingApproval')
        """;

    public const string CompleteSql = """
        UPDATE pipeline_runs SET status = 'completed', current_position = @Position, started_at = COALESCE(started_at, now()), finished_at = now()
        WHERE id = @PipelineRunId AND status IN ('queued', 'running')
        """;

    public const string FailSql = """
        UPDATE pipeline_runs SET status = 'failed', current_position = @Position, started_at = COALESCE(started_at, now()), finished_at = now()
        WHERE id = @PipelineRunId AND status IN ('queued', 'running')
        """;

    public const string CancelSql = $"""
        UPDATE pipeline_runs SET status = 'cancelled', current_position = @Position, started_at = COALESCE(started_at, now()), finished_at = now()
        WHERE id = @PipelineRunId AND status IN ({RunStatuses.Sql.PipelineActive})
        """;

    public const string RejectSql = """
        UPDATE pipeline_runs SET status = 'rejected', current_position = @Position, started_at = COALESCE(started_at, now()), finished_at = now()
        WHERE id = @PipelineRunId AND status IN ('running', 'awaitingApproval')
        """;

    public const string ExpireSql = """
        UPDATE pipeline_runs SET status = 'expired', current_position = @Position, started_at = COALESCE(started_at, now()), finished_at = now()
        WHERE id = @PipelineRunId AND status IN ('running', 'awaitingApproval')
        """;

    /// <summary>Each pipeline-run trigger's SQL, for the test that holds it to <see cref="PipelineStateMachine.Runs"/>.</summary>
    public static readonly IReadOnlyDictionary<PipelineRunTrigger, (string Sql, Type Values)> RunStatements =
        new Dictionary<PipelineRunTrigger, (string, Type)>
        {
            [PipelineRunTrigger.StartStep] = (StartStepSql, typeof(RunAt)),
            [PipelineRunTrigger.StepAwaitsApproval] = (StepAwaitsApprovalSql, typeof(RunAt)),
            [PipelineRunTrigger.StepWorks] = (StepWorksSql, typeof(RunAt)),
            [PipelineRunTrigger.Complete] = (CompleteSql, typeof(RunAt)),
            [PipelineRunTrigger.Fail] = (FailSql, typeof(RunAt)),
            [PipelineRunTrigger.Cancel] = (CancelSql, typeof(RunAt)),
            [PipelineRunTrigger.Reject] = (RejectSql, typeof(RunAt)),
            [PipelineRunTrigger.Expire] = (ExpireSql, typeof(RunAt)),
        };

    /// <summary>The pipeline run queued the deployment run of the step at <paramref name="position"/>.</summary>
    public static Task<bool> StartStep(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int position, CancellationToken cancellationToken = default) =>
        Move(connection, transaction, StartStepSql, new RunAt(pipelineRunId, position), cancellationToken);

    /// <summary>The current step's deployment run entered <paramref name="status"/>, not a final one: the pipeline run mirrors it.</summary>
    public static Task<bool> StepMoved(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int position, RunStatus status, CancellationToken cancellationToken = default) =>
        PipelineStateMachine.Mirror(status) == PipelineRunTrigger.StepAwaitsApproval
            ? StepAwaitsApproval(connection, transaction, pipelineRunId, position, cancellationToken)
            : StepWorks(connection, transaction, pipelineRunId, position, cancellationToken);

    public static Task<bool> StepAwaitsApproval(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int position, CancellationToken cancellationToken = default) =>
        Move(connection, transaction, StepAwaitsApprovalSql, new RunAt(pipelineRunId, position), cancellationToken);

    public static Task<bool> StepWorks(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int position, CancellationToken cancellationToken = default) =>
        Move(connection, transaction, StepWorksSql, new RunAt(pipelineRunId, position), cancellationToken);

    public static Task<bool> Complete(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, CancellationToken cancellationToken = default) =>
        Move(connection, transaction, CompleteSql, new RunAt(pipelineRunId, null), cancellationToken);

    /// <summary>Ends the pipeline run as failed at <paramref name="position"/>; steps that had not started are not run.</summary>
    public static Task<bool> Fail(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int? position, CancellationToken cancellationToken = default) =>
        Stop(connection, transaction, FailSql, new RunAt(pipelineRunId, position), cancellationToken);

    /// <summary>Ends the pipeline run as cancelled; steps that had not started are not run.</summary>
    public static Task<bool> Cancel(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int? position, CancellationToken cancellationToken = default) =>
        Stop(connection, transaction, CancelSql, new RunAt(pipelineRunId, position), cancellationToken);

    /// <summary>Ends the pipeline run as rejected (a step's gate was refused); steps that had not started are not run.</summary>
    public static Task<bool> Reject(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int? position, CancellationToken cancellationToken = default) =>
        Stop(connection, transaction, RejectSql, new RunAt(pipelineRunId, position), cancellationToken);

    /// <summary>Ends the pipeline run as expired (a step's gate waited too long); steps that had not started are not run.</summary>
    public static Task<bool> Expire(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int? position, CancellationToken cancellationToken = default) =>
        Stop(connection, transaction, ExpireSql, new RunAt(pipelineRunId, position), cancellationToken);

    private static async Task<bool> Stop(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, RunAt values, CancellationToken cancellationToken)
    {
        var stopped = await Move(connection, transaction, sql, values, cancellationToken);
        if (stopped) await NotRunRest(connection, transaction, values.PipelineRunId, cancellationToken);
        return stopped;
    }

    private static async Task<bool> Move(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, RunAt values, CancellationToken cancellationToken)
    {
        var changed = await connection.ExecuteAsync(Command(sql, values, transaction, cancellationToken)) > 0;
        RunNotifications.Announce(transaction, values.PipelineRunId);
        return changed;
    }

    private static CommandDefinition Command(string sql, object values, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        new(sql, values, transaction, cancellationToken: cancellationToken);

    /// <summary>One step of a pipeline run, by its position.</summary>
    public sealed record StepAt(Guid PipelineRunId, int Position);

    /// <summary>The step's deployment run, as it starts.</summary>
    public sealed record StepStart(Guid PipelineRunId, int Position, Guid DeploymentRunId);

    /// <summary>All the steps of a pipeline run.</summary>
    public sealed record StepsOf(Guid PipelineRunId);

    /// <summary>A step passed over before it began, and why (a <see cref="StepSkipReason"/> code).</summary>
    public sealed record StepBypass(Guid PipelineRunId, int Position, string SkipReason);

    /// <summary>A step that cannot begin, and why, in words for the person who reads the run.</summary>
    public sealed record StepRefusal(Guid PipelineRunId, int Position, string Error);

    public const string StartStepRunSql = """
        UPDATE pipeline_run_steps SET status = 'running', deployment_run_id = @DeploymentRunId, started_at = now()
        WHERE pipeline_run_id = @PipelineRunId AND position = @Position AND status IN ('pending')
        """;

    public const string CompleteStepSql = """
        UPDATE pipeline_run_steps SET status = 'completed', finished_at = now()
        WHERE pipeline_run_id = @PipelineRunId AND position = @Position AND status IN ('running')
        """;

    public const string SkipStepSql = """
        UPDATE pipeline_run_steps SET status = 'skipped', skip_reason = 'noChanges', finished_at = now()
        WHERE pipeline_run_id = @PipelineRunId AND position = @Position AND status IN ('running')
        """;

    public const string BypassStepSql = """
        UPDATE pipeline_run_steps SET status = 'skipped', skip_reason = @SkipReason, started_at = now(), finished_at = now()
        WHERE pipeline_run_id = @PipelineRunId AND position = @Position AND status IN ('pending')
        """;

    public const string RefuseStepSql = """
        UPDATE pipeline_run_steps SET status = 'failed', error = @Error, started_at = now(), finished_at = now()
        WHERE pipeline_run_id = @PipelineRunId AND position = @Position AND status IN ('pending')
        """;

    public const string FailStepSql = """
        UPDATE pipeline_run_steps SET status = 'failed', finished_at = now()
        WHERE pipeline_run_id = @PipelineRunId AND position = @Position AND status IN ('running')
        """;

    public const string CancelStepSql = """
        UPDATE pipeline_run_steps SET status = 'cancelled', finished_at = now()
        WHERE pipeline_run_id = @PipelineRunId AND position = @Position AND status IN ('running')
        """;

    public const string RejectStepSql = """
        UPDATE pipeline_run_steps SET status = 'rejected', finished_at = now()
        WHERE pipeline_run_id = @PipelineRunId AND position = @Position AND status IN ('running')
        """;

    public const string ExpireStepSql = """
        UPDATE pipeline_run_steps SET status = 'expired', finished_at = now()
        WHERE pipeline_run_id = @PipelineRunId AND position = @Position AND status IN ('running')
        """;

    public const string NotRunSql = """
        UPDATE pipeline_run_steps SET status = 'notRun'
        WHERE pipeline_run_id = @PipelineRunId AND status IN ('pending')
        """;

    /// <summary>Each step trigger's SQL, for the test that holds it to <see cref="PipelineStateMachine.Steps"/>.</summary>
    public static readonly IReadOnlyDictionary<PipelineStepTrigger, (string Sql, Type Values)> StepStatements =
        new Dictionary<PipelineStepTrigger, (string, Type)>
        {
            [PipelineStepTrigger.Start] = (StartStepRunSql, typeof(StepStart)),
            [PipelineStepTrigger.Complete] = (CompleteStepSql, typeof(StepAt)),
            [PipelineStepTrigger.Skip] = (SkipStepSql, typeof(StepAt)),
            [PipelineStepTrigger.Fail] = (FailStepSql, typeof(StepAt)),
            [PipelineStepTrigger.Cancel] = (CancelStepSql, typeof(StepAt)),
            [PipelineStepTrigger.NotRun] = (NotRunSql, typeof(StepsOf)),
            [PipelineStepTrigger.Bypass] = (BypassStepSql, typeof(StepBypass)),
            [PipelineStepTrigger.Refuse] = (RefuseStepSql, typeof(StepRefusal)),
            [PipelineStepTrigger.Reject] = (RejectStepSql, typeof(StepAt)),
            [PipelineStepTrigger.Expire] = (ExpireStepSql, typeof(StepAt)),
        };

    public static Task StartStepRun(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int position, Guid deploymentRunId, CancellationToken cancellationToken = default) =>
        connection.ExecuteAsync(Command(StartStepRunSql, new StepStart(pipelineRunId, position, deploymentRunId), transaction, cancellationToken));

    /// <summary>The step's deployment run ended in <paramref name="status"/>: the step completes, skips, fails, is cancelled, rejected or expires.</summary>
    public static async Task<PipelineStepTrigger> SettleStep(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int position, RunStatus status, CancellationToken cancellationToken = default)
    {
        var trigger = PipelineStateMachine.Settle(status);
        var sql = trigger switch
        {
            PipelineStepTrigger.Complete => CompleteStepSql,
            PipelineStepTrigger.Skip => SkipStepSql,
            PipelineStepTrigger.Cancel => CancelStepSql,
            PipelineStepTrigger.Reject => RejectStepSql,
            PipelineStepTrigger.Expire => ExpireStepSql,
            _ => FailStepSql,
        };
        await connection.ExecuteAsync(Command(sql, new StepAt(pipelineRunId, position), transaction, cancellationToken));
        return trigger;
    }

    /// <summary>A destroy passes over a step whose deployment has nothing to destroy.</summary>
    public static Task BypassStep(NpgsqlConnection connection, NpgsqlTransaction transaction, StepBypass step, CancellationToken cancellationToken = default) =>
        connection.ExecuteAsync(Command(BypassStepSql, step, transaction, cancellationToken));

    /// <summary>The step cannot begin (an input has no value): it fails before its deployment run exists.</summary>
    public static Task RefuseStep(NpgsqlConnection connection, NpgsqlTransaction transaction, StepRefusal step, CancellationToken cancellationToken = default) =>
        connection.ExecuteAsync(Command(RefuseStepSql, step, transaction, cancellationToken));

    public static Task NotRunRest(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, CancellationToken cancellationToken = default) =>
        connection.ExecuteAsync(Command(NotRunSql, new StepsOf(pipelineRunId), transaction, cancellationToken));
}
