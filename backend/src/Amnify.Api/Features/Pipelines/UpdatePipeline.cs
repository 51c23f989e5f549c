using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Features.Common;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Amnify.Api.Features.Pipelines;

/// <summary>Renames a pipeline or changes its description; runs already made are unaffected.</summary>
[CanFail(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict, FailureKind.Stale)]
public sealed record UpdatePipeline(Guid Id, int? ExpectedVersion, string? Name, string? Description) : ICommand<Result<Pipeline>>;

public sealed record UpdatePipelineBody(string? Name, string? Description);

public sealed class UpdatePipelineValidator : AbstractValidator<UpdatePipeline>
{
    public UpdatePipelineValidator()
    {
        RuleFor(x => x.Name).OptionalText("Name");
        RuleFor(x => x.Description).Description();
    }
}

public sealed class UpdatePipelineHandler(Db db, AuditTrail audit) : ICommandHandler<UpdatePipeline, Result<Pipeline>>
{
    private const string Update = """
        UPDATE pipelines SET name = COALESCE(@Name, name), description = COALESCE(@Description, description),
                             version = version + 1, updated_at = now()
        WHERE id = @Id
        """;

    public async ValueTask<Result<Pipeline>> Handle(UpdatePipeline command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var locked = await Pipeline.LockForChange(connection, transaction, command.Id, command.ExpectedVersion, cancellationToken);
        if (locked.Failure is { } failure) return failure;
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(Update, new { command.Id, Name = command.Name?.Trim(), Description = command.Description?.Trim() }, transaction, cancellationToken: cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Failure.Conflict($"Another pipeline of this provider is already named '{command.Name?.Trim()}'.");
        }
        await audit.Record(connection, transaction, "pipeline.update", "pipeline", command.Id);
        var pipeline = (await Pipeline.Load(connection, command.Id, transaction, cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return pipeline;
    }
}

public static class UpdatePipelineEndpoint
{
    public static async Task<Results<Ok<Pipeline>, ProblemHttpResult>> Handle(
        Guid id, UpdatePipelineBody body, HttpContext context, ISender sender, CancellationToken ct) =>
        PipelineResults.Ok(context, await sender.Send(new UpdatePipeline(id, ETags.ExpectedVersion(context), body.Name, body.Description), ct));
}
