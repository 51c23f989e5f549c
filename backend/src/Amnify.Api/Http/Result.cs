using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Amnify.Api.Http;

/// <summary>An expected failure of a use case (not found, conflict, stale version…), answered as problem details.</summary>
public sealed record Failure(int Status, string Title, string Detail)
{
    public static Failure NotFound(string what) =>
        new(StatusCodes.Status404NotFound, "Not found", $"{what} does not exist.");

    public static Failure Conflict(string detail) => new(StatusCodes.Status409Conflict, "Conflict", detail);

    public static Failure Stale(string what) =>
        new(StatusCodes.Status412PreconditionFailed, "Precondition failed",
            $"{what} changed since you read it (If-Match does not match its ETag). Reload it and try again.");

    public static Failure Unprocessable(string detail) =>
        new(StatusCodes.Status422UnprocessableEntity, "Unprocessable request", detail);

    public ProblemHttpResult ToProblem() => TypedResults.Problem(new ProblemDetails
    {
        Status = Status,
        Title = Title,
        Detail = Detail,
        Type = $"https://httpstatuses.io/{Status}",
    });
}

/// <summary>What a handler answers: a value, or the <see cref="Failure"/> that explains why not.</summary>
public readonly struct Result<T>
{
    private readonly T? value;

    private Result(T? value, Failure? failure)
    {
        this.value = value;
        Failure = failure;
    }

    public Failure? Failure { get; }

    public T Value => Failure is null ? value! : throw new InvalidOperationException("The result is a failure.");

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Failure failure) => new(default, failure);

    public Results<TOk, ProblemHttpResult> Match<TOk>(Func<T, TOk> ok) where TOk : IResult =>
        Failure is null ? ok(value!) : Failure.ToProblem();
}
