using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;

namespace Amnify.Api.Features.DeploymentRuns;

/// <summary>The log lines after event <c>Offset</c>; <see cref="RunLogPage.Offset"/> is where to continue.</summary>
[CanFail(FailureKind.Invalid, FailureKind.NotFound)]
public sealed record GetRunLog(Guid RunId, int Offset) : IQuery<Result<RunLogPage>>;

public sealed record RunLogPage(string Text, int Offset);

public sealed class GetRunLogValidator : AbstractValidator<GetRunLog>
{
    public GetRunLogValidator() => RuleFor(x => x.Offset).GreaterThanOrEqualTo(0).WithMessage("Must be 0 or more.").OverridePropertyName("offset");
}

public sealed class GetRunLogHandler(Db db) : IQueryHandler<GetRunLog, Result<RunLogPage>>
{
    public const int MaxLines = 10_000;

    private const string Lines = """
        SELECT seq, text FROM run_events WHERE run_id = @RunId AND kind = 'log' AND seq > @Offset ORDER BY seq LIMIT @Take
        """;

    private sealed record Line(int Seq, string Text);

    public async ValueTask<Result<RunLogPage>> Handle(GetRunLog query, CancellationToken cancellationToken) =>
        await db.Read<Result<RunLogPage>>(async (c, token) =>
        {
            if (!await c.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM deployment_runs WHERE id = @RunId)", query, cancellationToken: token)))
                return Failure.NotFound($"Deployment run {query.RunId}");
            var lines = (await c.QueryAsync<Line>(new CommandDefinition(Lines, new { query.RunId, query.Offset, Take = MaxLines }, cancellationToken: token))).AsList();
            return new RunLogPage(string.Concat(lines.Select(l => l.Text + "\n")), lines.Count > 0 ? lines[^1].Seq : query.Offset);
        }, cancellationToken);
}

public static class GetRunLogEndpoint
{
    public static async Task<IResult> Handle(Guid id, HttpContext context, ISender sender, CancellationToken ct, int offset = 0)
    {
        var result = await sender.Send(new GetRunLog(id, offset), ct);
        if (result.Failure is { } failure) return failure.ToProblem();
        context.Response.Headers["X-Log-Offset"] = result.Value.Offset.ToString();
        return Results.Text(result.Value.Text, "text/plain; charset=utf-8");
    }
}
