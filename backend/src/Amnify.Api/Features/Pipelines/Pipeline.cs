using Amnify.Api.Engine;
using Amnify.Api.Failures;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Features.Providers;
using Dapper;
using Npgsql;

namespace Amnify.Api.Features.Pipelines;

/// <summary>A variable of a step taken from an output of an earlier step, instead of the deployment's own value.</summary>
public sealed record StepInput(string Variable, Guid FromStepId, string Output);

/// <summary>A step: one deployment at one position of the execution order.</summary>
public sealed record PipelineStep
{
    public required Guid Id { get; init; }
    public required int Position { get; init; }
    public required Guid DeploymentId { get; init; }
    public required string DeploymentName { get; init; }
    public required string TemplateId { get; init; }
    public required string TemplateName { get; init; }
    public required DeploymentStatus DeploymentStatus { get; init; }
    /// <summary>Its variables wired to earlier steps' outputs.</summary>
    public StepInput[] Inputs { get; init; } = [];
}

/// <summary>Deployments chained in order. <see cref="Version"/> is the ETag that edits send back in If-Match.</summary>
public sealed record Pipeline
{
    public required Guid Id { get; init; }
    public required CloudProvider Provider { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required int Version { get; init; }
    public required PipelineStep[] Steps { get; init; }
    public Guid? ActiveRunId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    private const string SelectPipeline = $"""
        SELECT p.id, p.provider, p.name, p.description, p.version, p.created_at, p.updated_at,
               (SELECT r.id FROM pipeline_runs r WHERE r.pipeline_id = p.id AND r.status IN ({RunStatuses.Sql.PipelineActive})) AS active_run_id
        FROM pipelines p WHERE p.id = @id
        """;

    private const string SelectSteps = $"""
        SELECT s.id, s.position, s.deployment_id, d.name AS deployment_name, d.template_id, d.template_name, d.status AS deployment_status
        FROM pipeline_steps s
        JOIN ({Deployment.Select}) d ON d.id = s.deployment_id
        WHERE s.pipeline_id = @id
        ORDER BY s.position
        """;

    private const string SelectInputs = """
        SELECT i.step_id, i.variable, i.from_step_id, i.output
        FROM pipeline_step_inputs i JOIN pipeline_steps s ON s.id = i.step_id
        WHERE s.pipeline_id = @id
        ORDER BY i.variable
        """;

    private sealed record InputRow(Guid StepId, string Variable, Guid FromStepId, string Output);

    /// <summary>The pipeline, its steps and their inputs in one round trip (the statements sent together).</summary>
    internal static async Task<Pipeline?> Load(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var results = await connection.QueryMultipleAsync(
            new CommandDefinition($"{SelectPipeline};\n{SelectSteps};\n{SelectInputs}", new { id }, transaction, cancellationToken: cancellationToken));
        var pipeline = await results.ReadSingleOrDefaultAsync<Pipeline>();
        var steps = await results.ReadAsync<PipelineStep>();
        var inputs = (await results.ReadAsync<InputRow>()).ToLookup(i => i.StepId, i => new StepInput(i.Variable, i.FromStepId, i.Output));
        return pipeline is null ? null : pipeline with { Steps = steps.Select(s => s with { Inputs = inputs[s.Id].ToArray() }).ToArray() };
    }

    /// <summary>Locks the pipeline for a change and checks If-Match; answers its provider, or why not.</summary>
    internal static async Task<Result<string>> LockForChange(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, int? expectedVersion, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Locked>(new CommandDefinition(
            "SELECT provider, version FROM pipelines WHERE id = @id FOR UPDATE", new { id }, transaction, cancellationToken: cancellationToken));
        if (row is null) return Failure.NotFound($"Pipeline {id}");
        if (expectedVersion is not null && expectedVersion != row.Version) return Failure.Stale("The pipeline");
        return row.Provider;
    }

    private sealed record Locked(string Provider, int Version);

    internal const string Bump = "UPDATE pipelines SET version = version + 1, updated_at = now() WHERE id = @id";
}
