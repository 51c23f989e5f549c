using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Amnify.Api.Http;

/// <summary>
/// PostgreSQL cannot store the NUL character in text or jsonb (nor a lone surrogate in jsonb): such input used to
/// reach the database and answer 500. It is refused at the door instead, once for the whole API: in JSON bodies by
/// the converters below (the problem handler names the field from the serializer's path), and in query strings,
/// route values and headers by <see cref="RejectInRequest"/>.
/// </summary>
public static class NulGuard
{
    public const string Message = "Text may not contain the NUL character (\\u0000).";

    public static void AddConverters(JsonSerializerOptions options)
    {
        options.Converters.Add(new NulFreeString());
        options.Converters.Add(new StorableJsonElement());
    }

    /// <summary>Answers 400 naming the first query value, route value or header that holds a NUL.</summary>
    public static Task RejectInRequest(HttpContext context, RequestDelegate next)
    {
        var field = FirstWithNul(context.Request);
        if (field is null) return next(context);
        var safe = field.Replace("\0", "\\u0000", StringComparison.Ordinal);
        return Results.Problem(new ValidationProblemDetails(new Dictionary<string, string[]> { [safe] = [Message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more fields are invalid",
            Detail = $"{safe}: {Message}",
            Type = "https://httpstatuses.io/400",
        }).ExecuteAsync(context);
    }

    /// <summary>
    /// Plain loops, because this runs on every request: LINQ over the headers boxed each value and allocated a delegate
    /// per call, as much CPU in a profile of GET /pipelines/{id} as authenticating the caller.
    /// </summary>
    private static string? FirstWithNul(HttpRequest request)
    {
        if (request.QueryString.HasValue)
            foreach (var (key, values) in request.Query)
                if (HasNul(key) || AnyNul(values)) return key;
        foreach (var (key, value) in request.RouteValues)
            if (value is string text && HasNul(text)) return key;
        foreach (var (key, values) in request.Headers)
            if (HasNul(key) || AnyNul(values)) return key;
        return null;
    }

    private static bool AnyNul(Microsoft.Extensions.Primitives.StringValues values)
    {
        foreach (var value in values)
            if (HasNul(value)) return true;
        return false;
    }

    private static bool HasNul(string? text) => text?.Contains('\0') == true;

    /// <summary>Thrown while reading a body; <see cref="ProblemExceptionHandler"/> answers it as 400 on its path.</summary>
    public sealed class UnstorableTextException(string message) : JsonException(message);

    private sealed class NulFreeString : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Check(reader.GetString()!); // a non-string token fails here exactly as with the built-in converter

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Check(reader.GetString()!);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WritePropertyName(value);

        private static string Check(string text) => HasNul(text) ? throw new UnstorableTextException(Message) : text;
    }

    /// <summary>Free-form values (deployment variables) are checked string by string, names included, at any depth.</summary>
    private sealed class StorableJsonElement : JsonConverter<JsonElement>
    {
        public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var element = JsonElement.ParseValue(ref reader);
            Check(element);
            return element;
        }

        public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);

        private static void Check(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    CheckText(element.GetString);
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray()) Check(item);
                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        CheckText(() => property.Name);
                        Check(property.Value);
                    }
                    break;
            }
        }

        private static void CheckText(Func<string?> text)
        {
            string? value;
            try
            {
                value = text();
            }
            catch (InvalidOperationException) // an escaped lone surrogate, which jsonb refuses too
            {
                throw new UnstorableTextException("Text must be valid Unicode; a lone surrogate (\\uD800-\\uDFFF) is not.");
            }
            if (HasNul(value)) throw new UnstorableTextException(Message);
        }
    }
}
