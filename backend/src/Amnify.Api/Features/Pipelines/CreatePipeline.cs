using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Features.Common;
using Amnify.Api.Features.Providers;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Pipelines;

/// <summary>Creates an empty pipeline; deployments are added to it one at a time.</summary>
[CanFail(FailureKind.Invalid, FailureKind.Conflict)]
public sealed record CreatePipeline(CloudProvider Provider, string Name, string? Description) : ICommand<Result<Pipeline>>;

public sealed class CreatePipelineValidator : AbstractValidator<CreatePipeline>
{
    public CreatePipelineValidator()
    {
        RuleFor(x => x.Provider).IsInEnum().WithMessage($"Provider is required: {CloudProviders.KnownCodes}.");
        RuleFor(x => x.Name).RequiredText("Name");
        RuleFor(x => x.Description).Description();
    }
}

public sealed class CreatePipelineHandler(Db db, AuditTrail audit) : ICommandHandler<CreatePipeline, Result<Pipeline>>
{
    private const string Insert = """
        INSERT INTO pipelines (id, provider, name, description) VALUES (@Id, @Provider, @Name, @Description)
        ON CONFLICT DO NOTHING
        """;

    public async ValueTask<Result<Pipeline>> Handle(CreatePipeline command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = Guid.CreateVersion7();
        var name = command.Name.Trim();
        var inserted = await connection.ExecuteAsync(new CommandDefinition(Insert, new
        {
            Id = id, Provider = command.Provider.Code(), Name = name, Description = command.Description?.Trim() ?? "",
        }, transaction, cancellationToken: cancellationToken));
        if (inserted == 0) return Failure.Conflict($"A pipeline named '{name}' already exists for {command.Provider.Code()}.");
        await audit.Record(connection, transaction, "pipeline.create", "pipeline", id);
        var pipeline = (await Pipeline.Load(connection, id, transaction, cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return pipeline;
    }
}

public static class CreatePipelineEndpoint
{
    public static async Task<Results<Created<Pipeline>, ProblemHttpResult>> Handle(
        CreatePipeline body, HttpContext context, ISender sender, CancellationToken ct) =>
        PipelineResults.Created(context, await sender.Send(body, ct));
}
