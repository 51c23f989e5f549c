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
        WHERE id = @PipelineRunId AND status IN ('running')
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
    public static Task<bool> StartStep(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int position) =>
        Move(connection, transaction, StartStepSql, new RunAt(pipelineRunId, position));

    /// <summary>The current step's deployment run entered <paramref name="status"/>, not a final one: the pipeline run mirrors it.</summary>
    public static Task<bool> StepMoved(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int position, RunStatus status) =>
        PipelineStateMachine.Mirror(status) == PipelineRunTrigger.StepAwaitsApproval
            ? StepAwaitsApproval(connection, transaction, pipelineRunId, position)
            : StepWorks(connection, transaction, pipelineRunId, position);

    public static Task<bool> StepAwaitsApproval(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int position) =>
        Move(connection, transaction, StepAwaitsApprovalSql, new RunAt(pipelineRunId, position));

    public static Task<bool> StepWorks(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int position) =>
        Move(connection, transaction, StepWorksSql, new RunAt(pipelineRunId, position));

    public static Task<bool> Complete(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId) =>
        Move(connection, transaction, CompleteSql, new RunAt(pipelineRunId, null));

    /// <summary>Ends the pipeline run as failed at <paramref name="position"/>; steps that had not started are not run.</summary>
    public static Task<bool> Fail(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int? position) =>
        Stop(connection, transaction, FailSql, new RunAt(pipelineRunId, position));

    /// <summary>Ends the pipeline run as cancelled; steps that had not started are not run.</summary>
    public static Task<bool> Cancel(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int? position) =>
        Stop(connection, transaction, CancelSql, new RunAt(pipelineRunId, position));

    /// <summary>Ends the pipeline run as rejected (a step's gate was refused); steps that had not started are not run.</summary>
    public static Task<bool> Reject(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int? position) =>
        Stop(connection, transaction, RejectSql, new RunAt(pipelineRunId, position));

    /// <summary>Ends the pipeline run as expired (a step's gate waited too long); steps that had not started are not run.</summary>
    public static Task<bool> Expire(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int? position) =>
        Stop(connection, transaction, ExpireSql, new RunAt(pipelineRunId, position));

    private static async Task<bool> Stop(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, RunAt values)
    {
        var stopped = await Move(connection, transaction, sql, values);
        if (stopped) await NotRunRest(connection, transaction, values.PipelineRunId);
        return stopped;
    }

    private static async Task<bool> Move(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, RunAt values)
    {
        var changed = await connection.ExecuteAsync(sql, values, transaction) > 0;
        await connection.ExecuteAsync(RunChannels.NotifyEvent, new Announced(values.PipelineRunId), transaction);
        return changed;
    }

    private sealed record Announced(Guid Id);

    /// <summary>One step of a pipeline run, by its position.</summary>
    public sealed record StepAt(Guid PipelineRunId, int Position);

    /// <summary>The step's deployment run, as it starts.</summary>
    public sealed record StepStart(Guid PipelineRunId, int Position, Guid DeploymentRunId);

    /// <summary>All the steps of a pipeline run.</summary>
    public sealed record StepsOf(Guid PipelineRunId);

    public const string StartStepRunSql = """
        UPDATE pipeline_run_steps SET status = 'running', deployment_run_id = @DeploymentRunId, started_at = now()
        WHERE pipeline_run_id = @PipelineRunId AND position = @Position AND status IN ('pending')
        """;

    public const string CompleteStepSql = """
        UPDATE pipeline_run_steps SET status = 'completed', finished_at = now()
        WHERE pipeline_run_id = @PipelineRunId AND position = @Position AND status IN ('running')
        """;

    public const string SkipStepSql = """
        UPDATE pipeline_run_steps SET status = 'skipped', finished_at = now()
        WHERE pipeline_run_id = @PipelineRunId AND position = @Position AND status IN ('running')
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
            [PipelineStepTrigger.Reject] = (RejectStepSql, typeof(StepAt)),
            [PipelineStepTrigger.Expire] = (ExpireStepSql, typeof(StepAt)),
        };

    public static Task StartStepRun(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int position, Guid deploymentRunId) =>
        connection.ExecuteAsync(StartStepRunSql, new StepStart(pipelineRunId, position, deploymentRunId), transaction);

    /// <summary>The step's deployment run ended in <paramref name="status"/>: the step completes, skips, fails, is cancelled, rejected or expires.</summary>
    public static async Task<PipelineStepTrigger> SettleStep(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, int position, RunStatus status)
    {
        var trigger = PipelineStateMachine.Settle(status);
        var step = new StepAt(pipelineRunId, position);
        await (trigger switch
        {
            PipelineStepTrigger.Complete => CompleteStep(connection, transaction, step),
            PipelineStepTrigger.Skip => SkipStep(connection, transaction, step),
            PipelineStepTrigger.Cancel => CancelStep(connection, transaction, step),
            PipelineStepTrigger.Reject => connection.ExecuteAsync(RejectStepSql, step, transaction),
            PipelineStepTrigger.Expire => connection.ExecuteAsync(ExpireStepSql, step, transaction),
            _ => FailStep(connection, transaction, step),
        });
        return trigger;
    }

    public static Task CompleteStep(NpgsqlConnection connection, NpgsqlTransaction transaction, StepAt step) =>
        connection.ExecuteAsync(CompleteStepSql, step, transaction);

    public static Task SkipStep(NpgsqlConnection connection, NpgsqlTransaction transaction, StepAt step) =>
        connection.ExecuteAsync(SkipStepSql, step, transaction);

    public static Task FailStep(NpgsqlConnection connection, NpgsqlTransaction transaction, StepAt step) =>
        connection.ExecuteAsync(FailStepSql, step, transaction);

    public static Task CancelStep(NpgsqlConnection connection, NpgsqlTransaction transaction, StepAt step) =>
        connection.ExecuteAsync(CancelStepSql, step, transaction);

    public static Task NotRunRest(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId) =>
        connection.ExecuteAsync(NotRunSql, new StepsOf(pipelineRunId), transaction);
}
