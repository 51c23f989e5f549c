using Amnify.Api.Failures;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Amnify.Api.Http;

/// <summary>
/// The edge where failure kinds become HTTP: the one table of kind → status, the problem details each is
/// answered with, and the endpoint declaration that puts the same statuses in OpenAPI.
/// </summary>
public static class FailureProblems
{
    /// <summary>Carries a failure's wait to <see cref="HttpPlumbing"/>, which answers it as the Retry-After header, not in the body.</summary>
    public const string RetryAfterKey = "amnify:retryAfter";

    public static int StatusOf(FailureKind kind) => kind switch
    {
        FailureKind.Invalid => StatusCodes.Status400BadRequest,
        FailureKind.Unauthorized => StatusCodes.Status401Unauthorized,
        FailureKind.Forbidden => StatusCodes.Status403Forbidden,
        FailureKind.NotFound => StatusCodes.Status404NotFound,
        FailureKind.Conflict => StatusCodes.Status409Conflict,
        FailureKind.Stale => StatusCodes.Status412PreconditionFailed,
        FailureKind.Unusable => StatusCodes.Status422UnprocessableEntity,
        FailureKind.TooMany => StatusCodes.Status429TooManyRequests,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A failure kind without a status."),
    };

    public static ProblemDetails ToProblemDetails(this Failure failure)
    {
        var status = StatusOf(failure.Kind);
        var problem = failure.Kind == FailureKind.Invalid
            ? new ValidationProblemDetails(failure.Errors.ToDictionary(e => e.Key, e => e.Value))
            : new ProblemDetails();
        problem.Status = status;
        problem.Title = failure.Title;
        problem.Detail = failure.Detail;
        problem.Type = $"https://httpstatuses.io/{status}";
        if (failure.RetryAfter is { } wait) problem.Extensions[RetryAfterKey] = wait;
        return problem;
    }

    public static ProblemHttpResult ToProblem(this Failure failure) => TypedResults.Problem(failure.ToProblemDetails());

    public static Results<TOk, ProblemHttpResult> Match<T, TOk>(this Result<T> result, Func<T, TOk> ok) where TOk : IResult =>
        result.Failure is { } failure ? failure.ToProblem() : ok(result.Value);

    /// <summary>
    /// Declares, in OpenAPI and in the endpoint's metadata, every kind <typeparamref name="TMessage"/> may fail with
    /// (its <see cref="CanFailAttribute"/>) plus <paramref name="more"/> the endpoint adds itself (e.g. an unreadable body).
    /// </summary>
    public static RouteHandlerBuilder Fails<TMessage>(this RouteHandlerBuilder builder, params FailureKind[] more) =>
        builder.Declare(new DeclaredFailures([typeof(TMessage)], [.. CanFailAttribute.Of(typeof(TMessage)), .. more]));

    /// <summary>For a route that sends no message (e.g. an event stream): the kinds it answers itself.</summary>
    public static RouteHandlerBuilder Fails(this RouteHandlerBuilder builder, params FailureKind[] kinds) =>
        builder.Declare(new DeclaredFailures([], kinds));

    private static RouteHandlerBuilder Declare(this RouteHandlerBuilder builder, DeclaredFailures declared)
    {
        builder.WithMetadata(declared);
        foreach (var kind in declared.Kinds)
            builder = kind == FailureKind.Invalid ? builder.ProducesValidationProblem() : builder.ProducesProblem(StatusOf(kind));
        return builder;
    }
}

/// <summary>Endpoint metadata: the messages a route sends and every failure kind it declares (in status order).</summary>
public sealed class DeclaredFailures(IReadOnlyList<Type> messages, IEnumerable<FailureKind> kinds)
{
    public IReadOnlyList<Type> Messages { get; } = messages;

    public IReadOnlyList<FailureKind> Kinds { get; } = kinds.Distinct().OrderBy(FailureProblems.StatusOf).ToArray();
}
