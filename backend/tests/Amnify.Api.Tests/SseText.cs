using System.Text.Json;

namespace Amnify.Api.Tests;

/// <summary>One Server-Sent Event as a client reads it.</summary>
public sealed record SseEvent(string? Id, string Type, JsonElement Data);

/// <summary>Reads a whole Server-Sent Events answer into its events (comments and heartbeats dropped).</summary>
public static class SseText
{
    public static List<SseEvent> Parse(string text) =>
        text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split('\n').Where(l => !l.StartsWith(':')).ToArray())
            .Where(lines => lines.Any(l => l.StartsWith("event: ")))
            .Select(lines => new SseEvent(
                lines.FirstOrDefault(l => l.StartsWith("id: "))?[4..],
                lines.Single(l => l.StartsWith("event: "))[7..],
                JsonDocument.Parse(lines.Single(l => l.StartsWith("data: "))[6..]).RootElement))
            .ToList();

    /// <summary>The whole stream of a run that is over, resumed after <paramref name="lastEventId"/> when given.</summary>
    public static async Task<List<SseEvent>> ReadAll(this HttpClient client, string url, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return Parse(await response.Content.ReadAsStringAsync());
    }

    public static string Text(this JsonElement data, string property) => data.GetProperty(property).ToString();
}
