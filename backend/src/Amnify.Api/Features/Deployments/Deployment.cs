using System.Text.Json;
using Amnify.Api.Engine;
using Amnify.Api.Features.Providers;
using Dapper;
using Npgsql;

namespace Amnify.Api.Features.Deployments;

public enum DeploymentStatus
{
    NeverDeployed = 1,
    Deployed,
    Failed,
    Destroyed,
    Running,
    AwaitingApproval,
    /// <summary>A required variable lacks a value (usually after a template sync added one).</summary>
    NeedsConfiguration,
}

/// <summary>An output of the deployment's last successful apply; a sensitive one has no value here.</summary>
public sealed record DeploymentOutput(string Name, JsonElement? Value, bool Sensitive);

/// <summary>A pipeline a deployment is a step of.</summary>
public sealed record DeploymentPipeline
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
}

/// <summary>A template + variables + a cloud environment, in a project. Sensitive values are never returned.</summary>
public sealed record Deployment
{
    public required Guid Id { get; init; }
    public required CloudProvider Provider { get; init; }
    public required Guid ProjectId { get; init; }
    public required string ProjectName { get; init; }
    public required string TemplateId { get; init; }
    public required string TemplateName { get; init; }
    public required Guid CloudEnvironmentId { get; init; }
    public required string CloudEnvironmentName { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    /// <summary>The values of the non-sensitive variables.</summary>
    public required Dictionary<string, JsonElement> Variables { get; init; }
    /// <summary>The names of the sensitive variables that have a value; the values stay encrypted.</summary>
    public required string[] SensitiveVariables { get; init; }
    public required string[] Tags { get; init; }
    public required DeploymentStatus Status { get; init; }
    /// <summary>Required variables without a value: the deployment cannot run until they are set.</summary>
    public required string[] MissingVariables { get; init; }
    /// <summary>What this deployment tightens in its cloud environment's approval policy (admins only); null fields follow the environment.</summary>
    public required ApprovalPolicyOverride ApprovalPolicy { get; init; }
    /// <summary>Four-eyes, as earlier releases spelled it: whoever triggered a run or approved its plan may not approve its apply.</summary>
    public bool RequireDistinctApprover => ApprovalPolicy.RequiresDistinctApprover;

    /// <summary>
    /// Deployed, but its variables (the values, or which sensitive ones are set) differ from those of its last
    /// successful execute: what runs in the cloud is not what the deployment now says. A new value of a sensitive
    /// variable that stays set is not seen (its sealed value cannot be compared).
    /// </summary>
    public required bool ChangesNotApplied { get; init; }
    /// <summary>The pipelines this deployment is a step of. Only on the deployment itself, null in lists.</summary>
    public DeploymentPipeline[]? Pipelines { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>
    /// Its current outputs, from its last successful apply (none once destroyed). Only on a single deployment
    /// (GET, create, update); lists leave it out.
    /// </summary>
    public DeploymentOutput[]? Outputs { get; init; }

    internal const string Select = """
        SELECT d.id, d.provider, d.project_id, p.name AS project_name, d.template_id, t.name AS template_name,
               d.cloud_environment_id, e.name AS cloud_environment_name, d.name, d.description,
               d.variables, d.sensitive_keys AS sensitive_variables, d.tags,
               CASE WHEN active.status IN ('awaitingPlanApproval', 'awaitingApplyApproval') THEN 'awaitingApproval'
                    WHEN active.status IS NOT NULL THEN 'running'
                    WHEN cardinality(d.missing_variables) > 0 THEN 'needsConfiguration'
                    ELSE d.outcome END AS status,
               d.missing_variables, d.approval_policy,
               -- Variables a pipeline step wired from another step's output are not the deployment's own: left out.
               d.outcome = 'deployed' AND applied.variables IS NOT NULL
                   AND ((applied.variables - applied.wired) <> (d.variables - applied.wired)
                        OR applied.sensitive_keys <> ARRAY(SELECT k FROM unnest(d.sensitive_keys) k WHERE k <> ALL(applied.wired) ORDER BY 1))
                   AS changes_not_applied,
               d.created_at, d.updated_at
        FROM deployments d
        JOIN projects p ON p.id = d.project_id
        JOIN templates t ON t.id = d.template_id
        JOIN cloud_environments e ON e.id = d.cloud_environment_id
        LEFT JOIN LATERAL (
            SELECT r.status FROM deployment_runs r
            WHERE r.deployment_id = d.id AND r.status NOT IN ('completed', 'destroyed', 'noChanges', 'failed', 'cancelled', 'rejected', 'expired')
            ORDER BY r.status IN ('awaitingPlanApproval', 'awaitingApplyApproval') DESC, r.queued_at DESC LIMIT 1
        ) active ON true
        LEFT JOIN LATERAL (
            SELECT r.variables, w.wired,
                   ARRAY(SELECT k FROM unnest(r.sensitive_keys) k WHERE k <> ALL(w.wired) ORDER BY 1) AS sensitive_keys
            FROM deployment_runs r
            CROSS JOIN LATERAL (SELECT ARRAY(SELECT o->>'variable' FROM jsonb_array_elements(COALESCE(r.variable_origins, '[]'::jsonb)) o) AS wired) w
            WHERE r.deployment_id = d.id AND r.operation = 'execute' AND r.status IN ('completed', 'noChanges')
            ORDER BY r.queued_at DESC LIMIT 1
        ) applied ON true
        """;

    // The last run that changed the infrastructure: an apply leaves its outputs, a destroy leaves none.
    private const string CurrentOutputs = """
        SELECT CASE WHEN r.status = 'completed' THEN r.outputs END::text
        FROM deployment_runs r
        WHERE r.deployment_id = @id AND r.status IN ('completed', 'destroyed')
        ORDER BY r.queued_at DESC, r.id DESC LIMIT 1
        """;

    internal static async Task<Deployment?> Load(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var deployment = await connection.QuerySingleOrDefaultAsync<Deployment>(new CommandDefinition($"{Select} WHERE d.id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        if (deployment is null) return null;
        var outputs = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(CurrentOutputs, new { id }, transaction, cancellationToken: cancellationToken));
        return deployment with { Outputs = ReadOutputs(outputs) };
    }

    /// <summary>A run's stored outputs (already masked) as the deployment shows them: sensitive ones without a value.</summary>
    private static DeploymentOutput[] ReadOutputs(string? json) =>
        json is null
            ? []
            : JsonSerializer.Deserialize<Dictionary<string, Features.DeploymentRuns.RunOutput>>(json, JsonSerializerOptions.Web)!
                .OrderBy(o => o.Key, StringComparer.Ordinal)
                .Select(o => new DeploymentOutput(o.Key, o.Value.Sensitive ? null : o.Value.Value, o.Value.Sensitive)).ToArray();
}
