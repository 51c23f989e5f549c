namespace Amnify.Api.Failures;

/// <summary>
/// Why a use case did not do what it was asked: a closed set that handlers and the engine choose from. It says
/// nothing about HTTP; <c>Http/FailureProblems.cs</c> alone turns a kind into a status and problem details.
/// </summary>
public enum FailureKind
{
    /// <summary>A field of the request is wrong; <see cref="Failure.Errors"/> names it.</summary>
    Invalid,
    /// <summary>The caller could not be told apart (e.g. a wrong password).</summary>
    Unauthorized,
    /// <summary>The caller is known but may not do this.</summary>
    Forbidden,
    /// <summary>The thing the request is about does not exist.</summary>
    NotFound,
    /// <summary>The current state refuses the request (one active run, a name in use…).</summary>
    Conflict,
    /// <summary>The caller's copy is out of date (If-Match).</summary>
    Stale,
    /// <summary>The request is well formed but what it points at cannot be used (e.g. a template source that is not a folder).</summary>
    Unusable,
    /// <summary>Too many attempts: wait before trying again.</summary>
    TooMany,
}

/// <summary>An expected failure of a use case: its kind, a short title and a sentence for the person who asked.</summary>
public sealed record Failure(FailureKind Kind, string Title, string Detail)
{
    /// <summary>For <see cref="FailureKind.Invalid"/>: each wrong field (camelCase path, as the request spells it) with its messages.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; init; } = new Dictionary<string, string[]>();

    /// <summary>For <see cref="FailureKind.TooMany"/>: how long the caller should wait before trying again.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static Failure NotFound(string what) => new(FailureKind.NotFound, "Not found", $"{what} does not exist.");

    public static Failure Conflict(string detail) => new(FailureKind.Conflict, "Conflict", detail);

    public static Failure Stale(string what) =>
        new(FailureKind.Stale, "Precondition failed",
            $"{what} changed since you read it (If-Match does not match its ETag). Reload it and try again.");

    public static Failure Forbidden(string detail, string title = "Forbidden") => new(FailureKind.Forbidden, title, detail);

    public static Failure Unauthorized(string title, string detail) => new(FailureKind.Unauthorized, title, detail);

    public static Failure TooMany(string title, string detail, TimeSpan? retryAfter = null) =>
        new(FailureKind.TooMany, title, detail) { RetryAfter = retryAfter };

    public static Failure Unusable(string detail) => new(FailureKind.Unusable, "Unprocessable request", detail);

    /// <summary>One wrong field, e.g. a reference to something that does not exist: answered like a validation error.</summary>
    public static Failure Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static Failure Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(FailureKind.Invalid, "One or more fields are invalid",
            string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))) { Errors = errors };
}

/// <summary>What a handler answers: a value, or the <see cref="Failure"/> that explains why not.</summary>
public readonly struct Result<T> : IFailable
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
}

/// <summary>Any <see cref="Result{T}"/>, seen without its value type.</summary>
public interface IFailable
{
    Failure? Failure { get; }
}

/// <summary>
/// The kinds a use case may answer, on its message. Endpoints declare exactly these in OpenAPI
/// (<c>.Fails&lt;TMessage&gt;()</c>), and the mediator refuses a handler answer of any other kind.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CanFailAttribute(params FailureKind[] kinds) : Attribute
{
    public IReadOnlyList<FailureKind> Kinds { get; } = kinds;

    public static IReadOnlyList<FailureKind> Of(Type message) =>
        message.GetCustomAttributes(typeof(CanFailAttribute), false) is [CanFailAttribute declared] ? declared.Kinds : [];
}
