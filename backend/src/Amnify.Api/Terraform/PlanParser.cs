using System.Text.Json;

namespace Amnify.Api.Terraform;

/// <summary>What a plan would do, from <c>terraform show -json</c>: counts by action and each resource.</summary>
public sealed record PlanSummary(int Add, int Change, int Destroy, int Replace, PlannedResource[] Resources)
{
}

/// <summary>One resource of a plan; action is create, update, delete or replace.</summary>
public sealed record PlannedResource(string Address, string Action);

public static class PlanParser
{
    /// <summary>
    /// Reads the machine-readable plan. Only addresses and actions are kept: the JSON also holds
    /// variable and attribute values, sensitive ones included, so it is never stored as it is.
    /// </summary>
    public static PlanSummary Parse(string showJson)
    {
        using var doc = JsonDocument.Parse(showJson);
        var resources = new List<PlannedResource>();
        if (doc.RootElement.TryGetProperty("resource_changes", out var changes))
            foreach (var change in changes.EnumerateArray())
            {
                var actions = change.GetProperty("change").GetProperty("actions").EnumerateArray().Select(a => a.GetString()).ToArray();
                var action = actions switch
                {
                    ["create"] => "create",
                    ["update"] => "update",
                    ["delete"] => "delete",
                    ["delete", "create"] or ["create", "delete"] => "replace",
                    _ => null, // no-op and read change nothing
                };
                if (action is not null) resources.Add(new PlannedResource(change.GetProperty("address").GetString()!, action));
            }
        return new PlanSummary(
            resources.Count(r => r.Action == "create"), resources.Count(r => r.Action == "update"),
            resources.Count(r => r.Action == "delete"), resources.Count(r => r.Action == "replace"), resources.ToArray());
    }

    /// <summary>The error Terraform printed, for the run view: from the first "Error:" line, without box drawing.</summary>
    public static string? ExtractError(IReadOnlyList<string> lines)
    {
        var start = -1;
        for (var i = 0; i < lines.Count; i++)
            if (Clean(lines[i]).StartsWith("Error:", StringComparison.Ordinal)) { start = i; break; }
        if (start < 0) return null;
        var text = lines.Skip(start).Take(20).Select(Clean).Where(l => l.Length > 0);
        return string.Join("\n", text).Trim();
    }

    private static string Clean(string line) => line.TrimStart('│', '╷', '╵', ' ').TrimEnd();
}
