using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.PipelineRuns;

/// <summary>Runs the pipeline: snapshots its steps and queues the first. Safe to retry with an Idempotency-Key.</summary>
[CanFail(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict)]
public sealed record TriggerPipelineRun(Guid PipelineId, Actor Actor, string Source, string? IdempotencyKey)
    : ICommand<Result<(PipelineRun Run, bool Replayed)>>;

public sealed class TriggerPipelineRunValidator : AbstractValidator<TriggerPipelineRun>
{
    public TriggerPipelineRunValidator() =>
        RuleFor(x => x.IdempotencyKey).Must(k => k is null || (k.Length is > 0 and <= 200 && k.All(c => c is > ' ' and < (char)127)))
            .WithMessage("Idempotency-Key must be 1 to 200 visible ASCII characters.").OverridePropertyName("Idempotency-Key");
}

public sealed class TriggerPipelineRunHandler(Db db, PipelineOrchestrator orchestrator, AuditTrail audit)
    : ICommandHandler<TriggerPipelineRun, Result<(PipelineRun Run, bool Replayed)>>
{
    public async ValueTask<Result<(PipelineRun Run, bool Replayed)>> Handle(TriggerPipelineRun command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var triggered = await orchestrator.Trigger(connection, transaction, command.PipelineId, command.Actor, command.Source, command.IdempotencyKey);
        if (triggered.Failure is { } failure) return failure;
        if (!triggered.Value.Replayed)
            await audit.Record(connection, transaction, "pipelineRun.trigger", "pipelineRun", triggered.Value.PipelineRunId,
                $"pipeline {command.PipelineId} via {command.Source}");
        var run = (await PipelineRun.Load(connection, triggered.Value.PipelineRunId, transaction, cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return (run, triggered.Value.Replayed);
    }
}

public static class TriggerPipelineRunEndpoint
{
    public static async Task<Results<Accepted<PipelineRun>, Ok<PipelineRun>, ProblemHttpResult>> Handle(
        Guid id, HttpContext context, ISender sender, CancellationToken ct)
    {
        var key = context.Request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } k ? k : null;
        var source = context.User.FindFirst(AmnifyAuthentication.MethodClaim)?.Value ?? "api";
        var result = await sender.Send(new TriggerPipelineRun(id, Actor.From(context), source, key), ct);
        if (result.Failure is { } failure) return failure.ToProblem();
        var (run, replayed) = (result.Value.Run.For(context.User), result.Value.Replayed);
        // A replay (200) points at the run it returns as a first answer (202) does.
        context.Response.Headers.Location = context.PathTo("GetPipelineRun", run.Id);
        return replayed ? TypedResults.Ok(run) : TypedResults.Accepted((string?)null, run);
    }
}
