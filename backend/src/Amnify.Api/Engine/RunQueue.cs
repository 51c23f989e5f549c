using System.Text.Json;
using Amnify.Api.Auth;
using Amnify.Api.Failures;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Secrets;
using Amnify.Api.Telemetry;
using Dapper;
using Npgsql;

namespace Amnify.Api.Engine;

/// <summary>A value that replaces a deployment's own for one run (a pipeline step input), with where it came from.</summary>
public sealed record VariableOverride(string Variable, JsonElement Value, bool Sensitive, string Origin);

/// <summary>A variable of a run whose value came from elsewhere than its deployment ("step 1 · net · output vpc_id"); never the value.</summary>
public sealed record VariableOrigin(string Variable, string Origin, bool Sensitive);

/// <summary>
/// Creates a deployment run in <c>queued</c>: a snapshot of the template version, variables, cloud
/// environment and approval policy as they are now, so later edits never change what the run does or who may approve it.
/// Overrides (a pipeline step's inputs) replace the deployment's values in the snapshot only; sensitive ones are sealed with it.
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

    private const string Insert = """
        INSERT INTO deployment_runs (id, deployment_id, operation, status, template_version_id, cloud_environment_id,
                                     variables, sensitive_keys, sensitive_encrypted, approval_policy, triggered_by, triggered_by_user_id,
                                     pipeline_run_id, variable_origins, event_seq, trace_parent)
        VALUES (@Id, @DeploymentId, @Operation, 'queued', @TemplateVersionId, @CloudEnvironmentId,
                @VariablesJson::jsonb, @SensitiveKeys, @SensitiveEncrypted, @ApprovalPolicyJson::jsonb, @TriggeredBy, @TriggeredByUserId,
                @PipelineRunId, @OriginsJson::jsonb, 1, @TraceParent);
        INSERT INTO run_events (run_id, seq, kind, text) VALUES (@Id, 1, 'status', 'queued');
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
        Actor triggeredBy, Guid? pipelineRunId = null, IReadOnlyList<VariableOverride>? overrides = null, CancellationToken cancellationToken = default)
    {
        overrides ??= [];
        var deployment = await connection.QuerySingleOrDefaultAsync<DeploymentSnapshot>(
            new CommandDefinition(Snapshot, new { DeploymentId = deploymentId }, transaction, cancellationToken: cancellationToken));
        if (deployment is null) return Failure.NotFound($"Deployment {deploymentId}");
        var missing = deployment.MissingVariables.Except(overrides.Select(o => o.Variable)).ToArray();
        if (missing.Length > 0)
            return Failure.Conflict(
                $"Deployment '{deployment.Name}' needs configuration: set {string.Join(", ", missing)} before running it.");

        var id = Guid.CreateVersion7();
        var plain = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(deployment.VariablesJson)!;
        var sensitive = deployment.SensitiveEncrypted is null
            ? new Dictionary<string, JsonElement>()
            : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(secrets.Open(deployment.SensitiveEncrypted, deploymentId))!;
        foreach (var o in overrides)
        {
            plain.Remove(o.Variable);
            sensitive.Remove(o.Variable);
            (o.Sensitive ? sensitive : plain)[o.Variable] = o.Value;
        }
        // Sensitive values are sealed again for the run itself, so the snapshot survives later edits of the deployment.
        var sealedValues = sensitive.Count == 0 ? null : secrets.Seal(JsonSerializer.Serialize(sensitive), id);
        await connection.ExecuteAsync(new CommandDefinition(Insert, new
        {
            Id = id, DeploymentId = deploymentId, Operation = operation.Code(), deployment.TemplateVersionId,
            deployment.CloudEnvironmentId, VariablesJson = JsonSerializer.Serialize(plain),
            SensitiveKeys = sensitive.Keys.Order(StringComparer.Ordinal).ToArray(), SensitiveEncrypted = sealedValues,
            deployment.ApprovalPolicyJson, TriggeredBy = triggeredBy.Name, TriggeredByUserId = triggeredBy.UserId, PipelineRunId = pipelineRunId,
            OriginsJson = JsonSerializer.Serialize(overrides.Select(o => new VariableOrigin(o.Variable, o.Origin, o.Sensitive)), JsonSerializerOptions.Web),
            TraceParent = RunTracing.CurrentTraceParent(),
        }, transaction, cancellationToken: cancellationToken));
        RunNotifications.WakeWorkers(transaction);
        AmnifyMetrics.RecordRun(operation, RunStatus.Queued);
        return id;
    }
}
