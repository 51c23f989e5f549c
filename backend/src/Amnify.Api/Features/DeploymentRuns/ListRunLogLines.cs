using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.DeploymentRuns;

/// <summary>
/// The log lines after event <c>Offset</c> as records: each with its number, when it was written and who wrote it (the
/// engine or Terraform), for readers that tell them apart; <c>GET …/log</c> is the same lines as plain text.
/// </summary>
[CanFail(FailureKind.Invalid, FailureKind.NotFound)]
public sealed record ListRunLogLines(Guid RunId, int Offset) : IQuery<Result<RunLogLines>>;

public sealed record RunLogLine
{
    /// <summary>The line's event number: the SSE id of its <c>log</c> event.</summary>
    public required int Seq { get; init; }
    public required string Text { get; init; }
    public required DateTimeOffset At { get; init; }
    /// <summary>Null for lines written before the engine marked them.</summary>
    public LogSource? Source { get; init; }
}

/// <summary>Up to 10,000 lines; <see cref="Offset"/> is where to continue.</summary>
public sealed record RunLogLines(IReadOnlyList<RunLogLine> Lines, int Offset);

public sealed class ListRunLogLinesValidator : AbstractValidator<ListRunLogLines>
{
    public ListRunLogLinesValidator() => RuleFor(x => x.Offset).GreaterThanOrEqualTo(0).WithMessage("Must be 0 or more.").OverridePropertyName("offset");
}

public sealed class ListRunLogLinesHandler(Db db) : IQueryHandler<ListRunLogLines, Result<RunLogLines>>
{
    private const string Lines = """
        SELECT seq, text, at, source FROM run_events WHERE run_id = @RunId AND kind = 'log' AND seq > @Offset ORDER BY seq LIMIT @Take
        """;

    public async ValueTask<Result<RunLogLines>> Handle(ListRunLogLines query, CancellationToken cancellationToken) =>
        await db.Read<Result<RunLogLines>>(async (c, token) =>
        {
            if (!await c.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM deployment_runs WHERE id = @RunId)", query, cancellationToken: token)))
                return Failure.NotFound($"Deployment run {query.RunId}");
            var lines = (await c.QueryAsync<RunLogLine>(new CommandDefinition(Lines, new { query.RunId, query.Offset, Take = GetRunLogHandler.MaxLines }, cancellationToken: token))).AsList();
            return new RunLogLines(lines, lines.Count > 0 ? lines[^1].Seq : query.Offset);
        }, cancellationToken);
}

public static class ListRunLogLinesEndpoint
{
    public static async Task<Results<Ok<RunLogLines>, ProblemHttpResult>> Handle(Guid id, ISender sender, CancellationToken ct, int offset = 0) =>
        (await sender.Send(new ListRunLogLines(id, offset), ct)).Match(TypedResults.Ok);
}
