using System.Text.Json;
using System.Text.Json.Nodes;

namespace Amnify.Api.Terraform;

/// <summary>
/// The plan an approver reviews, attribute by attribute (<c>GET /deployment-runs/{id}/plan.json</c>): every
/// resource change with its action, and every output change. Built at plan time from the same
/// <c>terraform show -json</c> as the summary, masked before it is stored: a value Terraform marks sensitive is
/// never kept (null, <c>sensitive: true</c>; inside an object or list, the sensitive leaves become the mask), and
/// every other leaf and map key passes the run's redactor, as outputs do.
/// </summary>
public sealed record StructuredPlan
{
    public required PlanResourceChange[] ResourceChanges { get; init; }
    public required PlanOutputChange[] OutputChanges { get; init; }

    public static StructuredPlan Read(string showJson, Redactor redactor)
    {
        var root = JsonNode.Parse(showJson)!.AsObject();
        var resources = root["resource_changes"] is JsonArray changes
            ? changes.OfType<JsonObject>().Select(c => Resource(c, redactor)).ToArray()
            : [];
        var outputs = root["output_changes"] is JsonObject outputChanges
            ? outputChanges.Where(o => o.Value is JsonObject).Select(o => Output(o.Key, o.Value!.AsObject(), redactor)).ToArray()
            : [];
        return new StructuredPlan { ResourceChanges = resources, OutputChanges = outputs };
    }

    private static PlanResourceChange Resource(JsonObject resource, Redactor redactor)
    {
        var change = resource["change"]?.AsObject() ?? [];
        var action = Action(change["actions"]);
        var before = change["before"] as JsonObject;
        var after = change["after"] as JsonObject;
        var unknown = change["after_unknown"] as JsonObject;
        var allUnknown = IsTrue(change["after_unknown"]);
        var keys = action switch
        {
            "create" or "read" => Keys(after).Concat(Keys(unknown).Where(k => AnyTrue(unknown![k]))),
            "delete" => Keys(before),
            "update" or "replace" => Keys(before).Concat(Keys(after)).Concat(Keys(unknown))
                .Where(k => !JsonNode.DeepEquals(before?[k], after?[k]) || AnyTrue(unknown?[k])),
            _ => [],
        };
        var attributes = keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(key =>
        {
            var (beforeValue, beforeHidden) = Masked(action == "create" || action == "read" ? null : before?[key], Mask(change["before_sensitive"], key), redactor);
            var afterUnknown = allUnknown || AnyTrue(unknown?[key]);
            var (afterValue, afterHidden) = Masked(action == "delete" ? null : after?[key], Mask(change["after_sensitive"], key), redactor);
            return new PlanAttributeChange
            {
                Path = redactor.Redact(key), Before = beforeValue, After = afterValue, AfterUnknown = afterUnknown,
                Sensitive = beforeHidden || afterHidden,
            };
        }).ToArray();
        return new PlanResourceChange
        {
            Address = redactor.Redact(resource["address"]?.GetValue<string>() ?? ""),
            ModuleAddress = resource["module_address"]?.GetValue<string>() is { } module ? redactor.Redact(module) : null,
            Type = resource["type"]?.GetValue<string>() ?? "",
            Name = resource["name"]?.GetValue<string>() ?? "",
            Action = action,
            Attributes = attributes,
        };
    }

    private static PlanOutputChange Output(string name, JsonObject change, Redactor redactor)
    {
        var (before, beforeHidden) = Masked(change["before"], change["before_sensitive"], redactor);
        var (after, afterHidden) = Masked(change["after"], change["after_sensitive"], redactor);
        return new PlanOutputChange
        {
            Name = redactor.Redact(name), Action = Action(change["actions"]), Before = before, After = after,
            AfterUnknown = AnyTrue(change["after_unknown"]), Sensitive = beforeHidden || afterHidden,
        };
    }

    /// <summary>
    /// Terraform's action lists as the SPA shows them. A forget (dropped from state, left in the cloud) shows as
    /// delete: the run gives the object up, and an approver must see that rather than nothing.
    /// </summary>
    private static string Action(JsonNode? actions)
    {
        var list = actions is JsonArray a ? a.Select(x => x?.GetValue<string>()).ToArray() : [];
        return list switch
        {
            ["no-op"] => "no-op",
            ["create"] => "create",
            ["read"] => "read",
            ["update"] => "update",
            _ when list.Contains("create") && (list.Contains("delete") || list.Contains("forget")) => "replace",
            _ when list.Contains("delete") || list.Contains("forget") => "delete",
            _ => "update",
        };
    }

    private static IEnumerable<string> Keys(JsonObject? value) => value?.Select(p => p.Key) ?? [];

    /// <summary>The sensitivity mask of one attribute: a whole-object <c>true</c> covers every attribute.</summary>
    private static JsonNode? Mask(JsonNode? mask, string key) => IsTrue(mask) ? mask : (mask as JsonObject)?[key];

    /// <summary>The value as it may be kept: null when sensitive as a whole, else its sensitive leaves masked and the rest redacted.</summary>
    private static (JsonElement? Value, bool Sensitive) Masked(JsonNode? value, JsonNode? mask, Redactor redactor)
    {
        if (IsTrue(mask)) return (null, true);
        return value is null ? (null, false) : (JsonSerializer.SerializeToElement(OutputMasking.MaskLeaves(HideLeaves(value, mask), redactor)), false);
    }

    private static JsonNode? HideLeaves(JsonNode? value, JsonNode? mask)
    {
        if (IsTrue(mask)) return JsonValue.Create(Redactor.Mask);
        return (value, mask) switch
        {
            (JsonObject obj, JsonObject m) => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, HideLeaves(p.Value, m[p.Key])))),
            (JsonArray list, JsonArray m) => new JsonArray([.. list.Select((item, i) => HideLeaves(item, i < m.Count ? m[i] : null))]),
            _ => value?.DeepClone(),
        };
    }

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static bool AnyTrue(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Any(p => AnyTrue(p.Value)),
        JsonArray list => list.Any(AnyTrue),
        _ => IsTrue(node),
    };
}

/// <summary>One resource of the plan; action is create, update, delete, replace, read or no-op.</summary>
public sealed record PlanResourceChange
{
    public required string Address { get; init; }
    public required string? ModuleAddress { get; init; }
    public required string Type { get; init; }
    public required string Name { get; init; }
    [System.ComponentModel.DataAnnotations.AllowedValues("create", "update", "delete", "replace", "read", "no-op")]
    public required string Action { get; init; }
    /// <summary>Top-level attributes: all of them for a create or delete, only those that change otherwise.</summary>
    public required PlanAttributeChange[] Attributes { get; init; }
}

/// <summary>One top-level attribute, before → after; nested objects and lists stay JSON values.</summary>
public sealed record PlanAttributeChange
{
    public required string Path { get; init; }
    public required JsonElement? Before { get; init; }
    public required JsonElement? After { get; init; }
    /// <summary>The value (or part of it) is known only after apply.</summary>
    public required bool AfterUnknown { get; init; }
    /// <summary>Terraform marks it sensitive: its value is never kept or shown.</summary>
    public required bool Sensitive { get; init; }
}

public sealed record PlanOutputChange
{
    public required string Name { get; init; }
    [System.ComponentModel.DataAnnotations.AllowedValues("create", "update", "delete", "replace", "read", "no-op")]
    public required string Action { get; init; }
    public required JsonElement? Before { get; init; }
    public required JsonElement? After { get; init; }
    public required bool AfterUnknown { get; init; }
    public required bool Sensitive { get; init; }
}
