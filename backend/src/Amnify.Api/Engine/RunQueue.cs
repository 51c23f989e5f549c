using Amnify.Api.Auth;
using Amnify.Api.Failures;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Secrets;
using Amnify.Api.Telemetry;
using Dapper;
using Npgsql;

namespace Amnify.Api.Engine;

/// <summary>
/// Creates a deployment run in <c>queued</c>: a snapshot of the template version, variables, cloud
/// environment and approval policy as they are now, so later edits never change what the run does or who may approve it.
/// </summary>
public sealed class RunQueue(SecretBox secrets)
{
    private const string Snapshot = $"""
        SELECT d.id, d.name, d.missing_variables, d.variables::text AS variables_json, d.sensitive_keys,
               d.sensitive_encrypted, d.cloud_environment_id, t.current_version_id AS template_version_id,
               {ApprovalPolicy.ForNewRun}::text AS approval_policy_json
        FROM deployments d JOIN templates t ON t.id = d.template_id
        WHERE d.id = @DeploymentId
        FOR SHARE OF d
        """;

    private const string Insert = $"""
        INSERT INTO deployment_runs (id, deployment_id, operation, status, template_version_id, cloud_environment_id,
                                     variables, sensitive_keys, sensitive_encrypted, approval_policy, triggered_by, triggered_by_user_id,
                                     pipeline_run_id, event_seq, trace_parent)
        VALUES (@Id, @DeploymentId, @Operation, 'queued', @TemplateVersionId, @CloudEnvironmentId,
                @VariablesJson::jsonb, @SensitiveKeys, @SensitiveEncrypted, @ApprovalPolicyJson::jsonb, @TriggeredBy, @TriggeredByUserId,
                @PipelineRunId, 1, @TraceParent);
        INSERT INTO run_events (run_id, seq, kind, text) VALUES (@Id, 1, 'status', 'queued');
        NOTIFY {RunChannels.Queue};
        """;

    private sealed record DeploymentSnapshot
    {
        public required Guid Id { get; init; }
        public required string Name { get; init; }
        public required string[] MissingVariables { get; init; }
        public required string VariablesJson { get; init; }
        public required string[] SensitiveKeys { get; init; }
        public byte[]? SensitiveEncrypted { get; init; }
        public required Guid CloudEnvironmentId { get; init; }
        public required Guid TemplateVersionId { get; init; }
        public required string ApprovalPolicyJson { get; init; }
    }

    public async Task<Result<Guid>> Enqueue(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid deploymentId, RunOperation operation,
        Actor triggeredBy, Guid? pipelineRunId = null)
    {
        var deployment = await connection.QuerySingleOrDefaultAsync<DeploymentSnapshot>(Snapshot, new { DeploymentId = deploymentId }, transaction);
        if (deployment is null) return Failure.NotFound($"Deployment {deploymentId}");
        if (deployment.MissingVariables.Length > 0)
            return Failure.Conflict(
                $"Deployment '{deployment.Name}' needs configuration: set {string.Join(", ", deployment.MissingVariables)} before running it.");

        var id = Guid.CreateVersion7();
        // Sensitive values are sealed again for the run itself, so the snapshot survives later edits of the deployment.
        var sensitive = deployment.SensitiveEncrypted is null
            ? null
            : secrets.Seal(secrets.OpenBytes(deployment.SensitiveEncrypted, deploymentId), id);
        await connection.ExecuteAsync(Insert, new
        {
            Id = id, DeploymentId = deploymentId, Operation = operation.Code(), deployment.TemplateVersionId,
            deployment.CloudEnvironmentId, deployment.VariablesJson, deployment.SensitiveKeys, SensitiveEncrypted = sensitive,
            deployment.ApprovalPolicyJson, TriggeredBy = triggeredBy.Name, TriggeredByUserId = triggeredBy.UserId, PipelineRunId = pipelineRunId,
            TraceParent = RunTracing.CurrentTraceParent(),
        }, transaction);
        AmnifyMetrics.RecordRun(operation, RunStatus.Queued);
        return id;
    }
}
