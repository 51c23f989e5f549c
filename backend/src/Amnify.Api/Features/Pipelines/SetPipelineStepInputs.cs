using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Features.Templates;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Amnify.Api.Features.Pipelines;

/// <summary>
/// Replaces a step's wiring: each variable listed takes the named output of an earlier step at run time, instead of the
/// deployment's own value. Everything that can be known before a run is checked here, each answer naming its field.
/// </summary>
[CanFail(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Stale)]
public sealed record SetPipelineStepInputs(Guid PipelineId, int? ExpectedVersion, Guid StepId, StepInput[] Inputs) : ICommand<Result<Pipeline>>;

public sealed record SetPipelineStepInputsBody(StepInput[] Inputs);

public sealed class SetPipelineStepInputsValidator : AbstractValidator<SetPipelineStepInputs>
{
    public SetPipelineStepInputsValidator()
    {
        RuleFor(x => x.Inputs).NotNull().WithMessage("inputs is required (an empty list removes every input).");
        RuleFor(x => x.Inputs).Must(i => i is null || i.Length <= 200).WithMessage("At most 200 inputs.");
        RuleForEach(x => x.Inputs).ChildRules(input =>
        {
            input.RuleFor(i => i.Variable).NotEmpty().WithMessage("Variable is required.");
            input.RuleFor(i => i.FromStepId).NotEmpty().WithMessage("The step the value comes from is required.");
            input.RuleFor(i => i.Output).NotEmpty().WithMessage("Output is required.");
        }).OverridePropertyName("inputs");
    }
}

public sealed class SetPipelineStepInputsHandler(Db db, AuditTrail audit) : ICommandHandler<SetPipelineStepInputs, Result<Pipeline>>
{
    private const string Clear = "DELETE FROM pipeline_step_inputs WHERE step_id = @StepId";

    private const string Insert = """
        INSERT INTO pipeline_step_inputs (step_id, variable, from_step_id, output)
        SELECT @StepId, i.variable, i.from_step_id, i.output
        FROM unnest(@Variables, @FromStepIds, @Outputs) AS i(variable, from_step_id, output)
        """;

    public async ValueTask<Result<Pipeline>> Handle(SetPipelineStepInputs command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var locked = await Pipeline.LockForChange(connection, transaction, command.PipelineId, command.ExpectedVersion, cancellationToken);
        if (locked.Failure is { } failure) return failure;
        var steps = (await StepContracts.Load(connection, transaction, command.PipelineId, cancellationToken)).ToDictionary(s => s.Id);
        if (!steps.TryGetValue(command.StepId, out var step)) return Failure.NotFound($"Step {command.StepId} of this pipeline");

        var problems = Check(step, steps, command.Inputs);
        if (problems.Count > 0) return Failure.Invalid(problems.ToDictionary(p => p.Key, p => p.Value.ToArray()));

        await connection.ExecuteAsync(new CommandDefinition(Clear, new { command.StepId }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(Insert, new
        {
            command.StepId,
            Variables = command.Inputs.Select(i => i.Variable).ToArray(),
            FromStepIds = command.Inputs.Select(i => i.FromStepId).ToArray(),
            Outputs = command.Inputs.Select(i => i.Output).ToArray(),
        }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(Pipeline.Bump, new { id = command.PipelineId }, transaction, cancellationToken: cancellationToken));
        await audit.Record(connection, transaction, "pipeline.step.inputs", "pipeline", command.PipelineId,
            $"step {step.Position} ({step.DeploymentName}): {string.Join(", ", command.Inputs.Select(i => $"{i.Variable} ← {steps[i.FromStepId].DeploymentName}.{i.Output}"))}");
        var pipeline = (await Pipeline.Load(connection, command.PipelineId, transaction, cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return pipeline;
    }

    private static Dictionary<string, List<string>> Check(StepContract step, Dictionary<Guid, StepContract> steps, StepInput[] inputs)
    {
        var problems = new Dictionary<string, List<string>>();
        void Add(string field, string message) => (problems.TryGetValue(field, out var list) ? list : problems[field] = []).Add(message);
        var variables = step.Variables.ToDictionary(v => v.Name);
        var wired = new HashSet<string>();
        for (var i = 0; i < inputs.Length; i++)
        {
            var input = inputs[i];
            var at = $"inputs[{i}]";
            if (!variables.TryGetValue(input.Variable, out var variable))
                Add($"{at}.variable", $"The template of '{step.DeploymentName}' declares no variable '{input.Variable}'.");
            else if (!wired.Add(input.Variable))
                Add($"{at}.variable", $"'{input.Variable}' is already wired; a variable takes one value.");
            if (!steps.TryGetValue(input.FromStepId, out var source))
            {
                Add($"{at}.fromStepId", "No such step in this pipeline.");
                continue;
            }
            if (source.Position >= step.Position)
            {
                Add($"{at}.fromStepId", $"Step {source.Position} ('{source.DeploymentName}') does not run before step {step.Position}; a value can only come from an earlier step.");
                continue;
            }
            var output = source.Outputs.FirstOrDefault(o => o.Name == input.Output);
            if (output is null)
                Add($"{at}.output", $"The template of '{source.DeploymentName}' declares no output '{input.Output}'.");
            else if (output.Sensitive && variable is { Sensitive: false })
                Add($"{at}.variable", $"'{source.DeploymentName}.{input.Output}' is sensitive: it can only feed a sensitive variable, and '{input.Variable}' is not.");
        }
        return problems;
    }
}

/// <summary>What wiring needs to know of each step of a pipeline: its place, and its template's variables and outputs.</summary>
internal sealed record StepContract
{
    public required Guid Id { get; init; }
    public required int Position { get; init; }
    public required string DeploymentName { get; init; }
    public required TemplateVariable[] Variables { get; init; }
    public required TemplateOutput[] Outputs { get; init; }
}

internal static class StepContracts
{
    private const string Select = """
        SELECT s.id, s.position, d.name AS deployment_name, v.variables, v.outputs
        FROM pipeline_steps s
        JOIN deployments d ON d.id = s.deployment_id
        JOIN templates t ON t.id = d.template_id
        JOIN template_versions v ON v.id = t.current_version_id
        WHERE s.pipeline_id = @PipelineId
        ORDER BY s.position
        """;

    public static async Task<List<StepContract>> Load(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<StepContract>(new CommandDefinition(Select, new { PipelineId = pipelineId }, transaction, cancellationToken: cancellationToken))).AsList();
}

public static class SetPipelineStepInputsEndpoint
{
    public static async Task<Results<Ok<Pipeline>, ProblemHttpResult>> Handle(
        Guid id, Guid stepId, SetPipelineStepInputsBody body, HttpContext context, ISender sender, CancellationToken ct) =>
        PipelineResults.Ok(context, await sender.Send(new SetPipelineStepInputs(id, ETags.ExpectedVersion(context), stepId, body.Inputs), ct));
}
