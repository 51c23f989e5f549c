using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.PipelineRuns;

/// <summary>
/// Runs the pipeline: snapshots its steps and queues the first. A destroy snapshots them in reverse and destroys each.
/// Safe to retry with an Idempotency-Key.
/// </summary>
[CanFail(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict)]
public sealed record TriggerPipelineRun(Guid PipelineId, Actor Actor, string Source, string? IdempotencyKey, RunOperation Operation = RunOperation.Execute)
    : ICommand<Result<(PipelineRun Run, bool Replayed)>>;

/// <summary>Optional: a bare POST runs the pipeline (execute).</summary>
public sealed record TriggerPipelineRunBody(RunOperation? Operation);

public sealed class TriggerPipelineRunValidator : AbstractValidator<TriggerPipelineRun>
{
    public TriggerPipelineRunValidator()
    {
        RuleFor(x => x.IdempotencyKey).IdempotencyKey();
        RuleFor(x => x.Operation).IsInEnum().WithMessage("Operation must be execute or destroy.");
    }
}

public static class IdempotencyKeyRule
{
    /// <summary>The Idempotency-Key header, as every trigger of a pipeline run accepts it.</summary>
    public static IRuleBuilderOptions<T, string?> IdempotencyKey<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(k => k is null || (k.Length is > 0 and <= 200 && k.All(c => c is > ' ' and < (char)127)))
            .WithMessage("Idempotency-Key must be 1 to 200 visible ASCII characters.").OverridePropertyName("Idempotency-Key");
}

public sealed class TriggerPipelineRunHandler(Db db, PipelineOrchestrator orchestrator, AuditTrail audit)
    : ICommandHandler<TriggerPipelineRun, Result<(PipelineRun Run, bool Replayed)>>
{
    public async ValueTask<Result<(PipelineRun Run, bool Replayed)>> Handle(TriggerPipelineRun command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var triggered = await orchestrator.Trigger(
            connection, transaction, command.PipelineId, command.Operation, command.Actor, command.Source, command.IdempotencyKey, cancellationToken);
        if (triggered.Failure is { } failure) return failure;
        if (!triggered.Value.Replayed)
            await audit.Record(connection, transaction, command.Operation == RunOperation.Destroy ? "pipelineRun.trigger.destroy" : "pipelineRun.trigger",
                "pipelineRun", triggered.Value.PipelineRunId, $"pipeline {command.PipelineId} via {command.Source}");
        var run = (await PipelineRun.Load(connection, triggered.Value.PipelineRunId, transaction, cancellationToken))!;
        await transaction.CommitAndNotify(cancellationToken);
        return (run, triggered.Value.Replayed);
    }
}

public static class TriggerPipelineRunEndpoint
{
    public static async Task<Results<Accepted<PipelineRun>, Ok<PipelineRun>, ProblemHttpResult>> Handle(
        Guid id, HttpContext context, ISender sender, CancellationToken ct, TriggerPipelineRunBody? body = null)
    {
        var key = context.Request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } k ? k : null;
        var source = context.User.FindFirst(AmnifyAuthentication.MethodClaim)?.Value ?? "api";
        var result = await sender.Send(new TriggerPipelineRun(id, Actor.From(context), source, key, body?.Operation ?? RunOperation.Execute), ct);
        return Answer(context, result);
    }

    /// <summary>202 with the new run, or 200 with the run an earlier request with the same Idempotency-Key made; both with its Location.</summary>
    internal static Results<Accepted<PipelineRun>, Ok<PipelineRun>, ProblemHttpResult> Answer(HttpContext context, Result<(PipelineRun Run, bool Replayed)> result)
    {
        if (result.Failure is { } failure) return failure.ToProblem();
        var (run, replayed) = (result.Value.Run.For(context.User), result.Value.Replayed);
        // A replay (200) points at the run it returns as a first answer (202) does.
        context.Response.Headers.Location = context.PathTo("GetPipelineRun", run.Id);
        return replayed ? TypedResults.Ok(run) : TypedResults.Accepted((string?)null, run);
    }
}
