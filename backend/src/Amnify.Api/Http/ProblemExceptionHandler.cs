using System.Text.Json;
using Amnify.Api.Failures;
using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Amnify.Api.Http;

/// <summary>
/// The one place exceptions become answers: validation failures and unreadable bodies are 400s
/// with every field named; anything unexpected is a 500 that reveals nothing internal.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ValidationException v => Invalid(v.Errors
                .GroupBy(e => FieldPath(e.PropertyName))
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray())),
            BadHttpRequestException { InnerException: JsonException json } => Invalid(JsonFailure(json)),
            BadHttpRequestException bad when BindFailure().Match(bad.Message) is { Success: true } m =>
                Invalid(new Dictionary<string, string[]> { [m.Groups[1].Value] = ["The value has the wrong type or is not allowed here."] }),
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request",
                Detail = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? $"The request body may be at most {HttpPlumbing.MaxRequestBodyBytes} bytes."
                    : PublicMessage(bad.Message),
            },
            Npgsql.NpgsqlException { IsTransient: true } => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Database unavailable",
                Detail = "The database cannot be reached right now; nothing was changed. Retry in a few seconds.",
            },
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
            _ => null,
        };

        if (problem is null)
        {
            if (context.RequestAborted.IsCancellationRequested) return true; // the client left; nobody to answer
            log.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Internal server error",
                Detail = "Something went wrong on our side. The error was logged; try again later.",
            };
        }

        problem.Type ??= $"https://httpstatuses.io/{problem.Status}";
        if (problem.Status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "2";
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    // A request the validators or the model binder refuse is answered like a handler's Invalid failure.
    private static ProblemDetails Invalid(IReadOnlyDictionary<string, string[]> errors) => Failure.Invalid(errors).ToProblemDetails();

    private static Dictionary<string, string[]> JsonFailure(JsonException json)
    {
        var path = json.Path is null or "$" ? "" : json.Path.TrimStart('$', '.');
        if (json is NulGuard.UnstorableTextException)
            return new() { [path.Length == 0 ? "body" : FieldPath(path).Replace("\0", "\\u0000", StringComparison.Ordinal)] = [json.Message] };
        if (UnknownProperty().Match(json.Message) is { Success: true } unknown)
        {
            var name = unknown.Groups[1].Value;
            var field = path.EndsWith(name, StringComparison.Ordinal) ? path : path.Length == 0 ? name : $"{path}.{name}";
            return new() { [FieldPath(field)] = ["This field is not part of the request."] };
        }
        if (path.Length > 0 && json.Message.Contains("could not be converted", StringComparison.Ordinal))
            return new() { [FieldPath(path)] = ["The value has the wrong type or is not allowed here."] };
        return new()
        {
            ["body"] = [$"The request body is not valid JSON (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1})."],
        };
    }

    /// <summary>"Credentials[AWS_KEY]" / "StepIds[2]" / "Items.Name" → "credentials.AWS_KEY" / "stepIds[2]" / "items.name".</summary>
    internal static string FieldPath(string propertyName)
    {
        if (string.IsNullOrEmpty(propertyName)) return "body";
        var normalised = DictionaryKey().Replace(propertyName, ".$1");
        return string.Join('.', normalised.Split('.', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Length > 0 && char.IsUpper(s[0]) && !IsKey(s) ? char.ToLowerInvariant(s[0]) + s[1..] : s));
    }

    // Upper snake-case segments (environment variable names) are data, kept as written.
    private static bool IsKey(string segment) => segment.Length > 1 && segment.All(c => char.IsUpper(c) || char.IsDigit(c) || c == '_');

    private static string PublicMessage(string message) =>
        message.Contains("Required parameter", StringComparison.Ordinal) ? "A required value is missing from the request." :
        message.Contains("content type", StringComparison.OrdinalIgnoreCase) ? "Send the body as application/json." :
        "The request could not be read.";

    [GeneratedRegex(@"\[""?'?([^\]\d""'][^\]""']*)""?'?\]")]
    private static partial Regex DictionaryKey();

    [GeneratedRegex(@"Failed to bind parameter ""[^""]*?(\w+)""")]
    private static partial Regex BindFailure();

    [GeneratedRegex(@"The JSON property '([^']+)'")]
    private static partial Regex UnknownProperty();
}
