using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Failures;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.PipelineRuns;

/// <summary>
/// Starts a new run from a failed or cancelled one: its frozen steps and inputs (never the pipeline's current
/// definition), what completed there skipped, from the first step that did not complete. Safe to retry with an Idempotency-Key.
/// </summary>
[CanFail(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict)]
public sealed record ResumePipelineRun(Guid Id, Actor Actor, string Source, string? IdempotencyKey)
    : ICommand<Result<(PipelineRun Run, bool Replayed)>>;

public sealed class ResumePipelineRunValidator : AbstractValidator<ResumePipelineRun>
{
    public ResumePipelineRunValidator() => RuleFor(x => x.IdempotencyKey).IdempotencyKey();
}

public sealed class ResumePipelineRunHandler(Db db, PipelineOrchestrator orchestrator, AuditTrail audit)
    : ICommandHandler<ResumePipelineRun, Result<(PipelineRun Run, bool Replayed)>>
{
    public async ValueTask<Result<(PipelineRun Run, bool Replayed)>> Handle(ResumePipelineRun command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var resumed = await orchestrator.Resume(connection, transaction, command.Id, command.Actor, command.Source, command.IdempotencyKey, cancellationToken);
        if (resumed.Failure is { } failure) return failure;
        if (!resumed.Value.Replayed)
            await audit.Record(connection, transaction, "pipelineRun.resume", "pipelineRun", resumed.Value.PipelineRunId,
                $"resumes {command.Id} via {command.Source}");
        var run = (await PipelineRun.Load(connection, resumed.Value.PipelineRunId, transaction, cancellationToken))!;
        await transaction.CommitAndNotify(cancellationToken);
        return (run, resumed.Value.Replayed);
    }
}

public static class ResumePipelineRunEndpoint
{
    public static async Task<Results<Accepted<PipelineRun>, Ok<PipelineRun>, ProblemHttpResult>> Handle(
        Guid id, HttpContext context, ISender sender, CancellationToken ct)
    {
        var key = context.Request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } k ? k : null;
        var source = context.User.FindFirst(AmnifyAuthentication.MethodClaim)?.Value ?? "api";
        return TriggerPipelineRunEndpoint.Answer(context, await sender.Send(new ResumePipelineRun(id, Actor.From(context), source, key), ct));
    }
}
