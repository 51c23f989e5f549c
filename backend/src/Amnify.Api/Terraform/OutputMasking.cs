using System.Text.Json;
using System.Text.Json.Nodes;

namespace Amnify.Api.Terraform;

/// <summary>
/// The outputs a run keeps, from <c>terraform output -json</c>, masked by their structure rather than
/// their text: a sensitive output keeps its name but not its value; in any other each leaf is redacted
/// on its own, so the JSON stays valid whatever a secret holds (quotes, <c>+</c>, a whole number).
/// </summary>
public static class OutputMasking
{
    public static string Mask(string outputJson, Redactor redactor)
    {
        var outputs = new JsonObject();
        foreach (var (name, output) in JsonNode.Parse(outputJson)!.AsObject())
        {
            var sensitive = output?["sensitive"]?.GetValue<bool>() ?? false;
            outputs[name] = new JsonObject
            {
                ["sensitive"] = sensitive,
                ["value"] = sensitive ? JsonValue.Create(Redactor.Mask) : MaskLeaves(output?["value"], redactor),
            };
        }
        return outputs.ToJsonString();
    }

    /// <summary>PostgreSQL's jsonb cannot hold U+0000; an output that has one is kept with U+FFFD in its place.</summary>
    private static string Storable(string text) => text.Replace('\0', '\uFFFD');

    /// <summary>A copy of <paramref name="node"/> with each leaf (and each map key) redacted on its own.</summary>
    public static JsonNode? MaskLeaves(JsonNode? node, Redactor redactor)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var masked = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    // A map's keys are data too; two keys masked alike stay two entries.
                    var name = Storable(redactor.Redact(key));
                    for (var n = 2; masked.ContainsKey(name); n++) name = $"{Storable(redactor.Redact(key))} ({n})";
                    masked[name] = MaskLeaves(value, redactor);
                }
                return masked;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => MaskLeaves(item, redactor))]);
            default:
                if (node.GetValueKind() == JsonValueKind.String) return JsonValue.Create(Storable(redactor.Redact(node.GetValue<string>())));
                // A number or bool that holds a secret is masked whole: no part of it can be kept, and a mask is no number.
                var text = node.ToJsonString();
                return redactor.Redact(text) == text ? node.DeepClone() : JsonValue.Create(Redactor.Mask);
        }
    }
}
