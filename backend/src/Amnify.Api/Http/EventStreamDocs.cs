using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Amnify.Api.Http;

/// <summary>The events a Server-Sent Events route sends: each event name with the type of its <c>data</c>.</summary>
public sealed class EventStreamMetadata(params (string Name, Type Data)[] events)
{
    public IReadOnlyList<(string Name, Type Data)> Events { get; } = events;
}

public static class EventStreamRoutes
{
    /// <summary>Declares the route an SSE stream sending <paramref name="events"/>, for the API document.</summary>
    public static RouteHandlerBuilder StreamsEvents(this RouteHandlerBuilder route, params (string Name, Type Data)[] events) =>
        route.WithMetadata(new EventStreamMetadata(events)).Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
}

/// <summary>
/// OpenAPI has no words for an event stream, so each stream's 200 answer lists its events: the schema is a
/// <c>oneOf</c> of the payloads (each a component schema, so generators make types of them), <c>x-events</c> maps each
/// event name to its payload, and the description says how ids and <c>Last-Event-ID</c> work. The header itself is a
/// declared parameter.
/// </summary>
internal sealed class EventStreamDocs : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        foreach (var description in context.ApiDescriptions)
        {
            if (description.ActionDescriptor.EndpointMetadata.OfType<EventStreamMetadata>().FirstOrDefault() is not { } stream) continue;
            // The document's paths have no route constraints ({id:guid} is {id}).
            var path = "/" + Regex.Replace(description.RelativePath!.TrimEnd('/'), @"\{([^}:=?]+)[^}]*\}", "{$1}");
            if (document.Paths?.TryGetValue(path, out var item) is not true
                || item.Operations?.TryGetValue(HttpMethod.Get, out var operation) is not true || operation is null) continue;

            var events = new JsonObject();
            var payloads = new List<IOpenApiSchema>();
            foreach (var (name, data) in stream.Events)
            {
                context.SchemaGenerator.GenerateSchema(data, context.SchemaRepository);
                var id = SchemaIds.For(data);
                payloads.Add(new OpenApiSchemaReference(id, document));
                events[name] = $"#/components/schemas/{id}";
            }
            var ok = (OpenApiResponse)operation.Responses!["200"];
            ok.Description = "The event stream: `event: <name>` lines with JSON `data` as `x-events` maps them; every event but `end` " +
                "has an `id`, which a reconnecting client sends back as `Last-Event-ID` to get only what came after. " +
                "A comment line (`: keep-alive`) comes when nothing happened for 15 s.";
            ok.Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/event-stream"] = new()
                {
                    Schema = new OpenApiSchema { OneOf = payloads },
                    Extensions = new Dictionary<string, IOpenApiExtension> { ["x-events"] = new JsonNodeExtension(events) },
                },
            };
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "Last-Event-ID",
                In = ParameterLocation.Header,
                Description = "The id of the last event received: the stream resumes after it.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
    }
}
