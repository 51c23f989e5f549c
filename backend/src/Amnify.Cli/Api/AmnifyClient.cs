using System.Text.Json;
using System.Text.Json.Serialization;

namespace Amnify.Cli.Api;

/// <summary>
/// Hooks of the client NSwag generates from openapi.yaml (obj/AmnifyClient.g.cs): the API's own JSON conventions, and
/// the last answer kept as sent, so <c>--output json</c> prints exactly what the server said and headers such as
/// <c>X-Log-Offset</c> can be read.
/// </summary>
public partial class AmnifyClient
{
    public string? LastBody { get; private set; }

    public HttpResponseMessage? LastResponse { get; private set; }

    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings)
    {
        settings.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        settings.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
    }

    partial void ProcessResponse(HttpClient client, HttpResponseMessage response)
    {
        // A CLI makes one call at a time: buffering the body here lets the generated code read it afterwards.
        response.Content.LoadIntoBufferAsync().GetAwaiter().GetResult();
        LastBody = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        LastResponse = response;
    }
}
