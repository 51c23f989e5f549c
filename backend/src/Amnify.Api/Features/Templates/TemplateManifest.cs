using System.Text.Json;
using System.Text.RegularExpressions;
using Amnify.Api.Features.Providers;

namespace Amnify.Api.Features.Templates;

/// <summary>A template.json read and checked: either a manifest, or every reason it is not one.</summary>
public sealed partial record TemplateManifest(
    string Id, string Name, string Description, string Category, CloudProvider Provider, string? Icon,
    IReadOnlyList<TemplateVariable> Variables, IReadOnlyList<TemplateOutput> Outputs)
{
    public static readonly string[] Categories = ["infrastructure", "application", "database", "combo"];

    /// <summary>
    /// Reads <paramref name="json"/> for the folder of <paramref name="folderProvider"/>, checking every
    /// declared variable against the <c>variable</c> blocks of <paramref name="terraformFiles"/>.
    /// </summary>
    public static (TemplateManifest? Manifest, List<string> Errors) Parse(
        string json, string folderProvider, IReadOnlyCollection<string> terraformFiles)
    {
        var errors = new List<string>();
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }).RootElement;
        }
        catch (JsonException e)
        {
            return (null, [$"template.json is not valid JSON: {e.Message}"]);
        }
        if (root.ValueKind != JsonValueKind.Object) return (null, ["template.json must hold a JSON object."]);
        if (UnstorableText(root, "") is { } at)
            return (null, [$"{(at.Length == 0 ? "template.json" : at)}: holds a NUL character or invalid Unicode; use plain text."]);

        var id = Text(root, "id", errors, required: true);
        if (id is not null && !IsValidId(id))
            errors.Add("id: use 1 to 100 lower-case letters, digits, '-', '_' or '.', starting with a letter or digit.");
        var name = Text(root, "name", errors, required: true);
        var description = Text(root, "description", errors, required: true);
        var category = Text(root, "category", errors, required: true);
        if (category is not null && !Categories.Contains(category))
            errors.Add($"category: must be one of {string.Join(", ", Categories)} (found '{category}').");
        var provider = Text(root, "cloud_provider", errors, required: true);
        if (provider is not null && provider != folderProvider)
            errors.Add($"cloud_provider: '{provider}' does not match the folder templates/{folderProvider}/.");
        var iac = Text(root, "iac_type", errors, required: true);
        if (iac is not null && iac != "terraform") errors.Add($"iac_type: must be 'terraform' (found '{iac}').");
        var icon = Text(root, "icon", errors, required: false);

        var variables = new List<TemplateVariable>();
        if (root.TryGetProperty("variables", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array) errors.Add("variables: must be an array.");
            else variables = ReadVariables(list, "variables", errors, topLevel: true);
        }

        if (terraformFiles.Count == 0) errors.Add("no *.tf file next to template.json.");
        var declared = terraformFiles.SelectMany(tf => VariableBlock().Matches(tf).Select(m => m.Groups[1].Value)).ToHashSet();
        foreach (var v in variables.Where(v => !declared.Contains(v.Name)))
            errors.Add($"variables: '{v.Name}' has no variable \"{v.Name}\" block in the .tf files.");

        return errors.Count > 0
            ? (null, errors)
            : (new TemplateManifest(id!, name!, description!, category!, CloudProviders.Parse(provider)!.Value, icon, variables,
                TemplateOutput.Parse(terraformFiles)), errors);
    }

    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    /// <summary>Where the first text is that PostgreSQL cannot store (a NUL, or an escaped lone surrogate), or null.</summary>
    private static string? UnstorableText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsStorable(element.GetString) ? null : path;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    if (UnstorableText(item, $"{path}[{index++}]") is { } at) return at;
                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsStorable(() => property.Name)) return path;
                    var at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (UnstorableText(property.Value, at) is { } inner) return inner;
                }
                return null;
            default:
                return null;
        }
    }

    private static bool IsStorable(Func<string?> text)
    {
        try
        {
            return text()?.Contains('\0') != true;
        }
        catch (InvalidOperationException)
        {
            return false; // System.Text.Json refuses to unescape a lone surrogate
        }
    }

    private static List<TemplateVariable> ReadVariables(JsonElement list, string path, List<string> errors, bool topLevel)
    {
        var result = new List<TemplateVariable>();
        var names = new HashSet<string>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var at = $"{path}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{at}: must be an object.");
                continue;
            }
            var before = errors.Count;
            var name = Text(item, "name", errors, required: true, at);
            if (name is not null && !NamePattern().IsMatch(name)) errors.Add($"{at}.name: '{name}' is not a valid Terraform variable name.");
            if (name is not null && !names.Add(name)) errors.Add($"{at}.name: '{name}' is declared twice.");
            var type = Text(item, "type", errors, required: true, at);
            if (type is not null && !TemplateVariable.Types.Contains(type))
                errors.Add($"{at}.type: must be one of {string.Join(", ", TemplateVariable.Types)} (found '{type}').");
            if (!topLevel && type is TemplateVariable.Object or TemplateVariable.ListOfObject)
                errors.Add($"{at}.type: fields of an object must be string, number or bool.");

            TemplateVariable[]? fields = null;
            if (type is TemplateVariable.Object or TemplateVariable.ListOfObject && topLevel)
            {
                if (item.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Array && f.GetArrayLength() > 0)
                    fields = ReadVariables(f, $"{at}.fields", errors, topLevel: false).ToArray();
                else errors.Add($"{at}.fields: {type} needs a non-empty array of field definitions.");
            }

            int? minItems = null;
            if (item.TryGetProperty("min_items", out var min))
            {
                if (type != TemplateVariable.ListOfObject) errors.Add($"{at}.min_items: only list(object) variables take min_items.");
                else if (min.ValueKind != JsonValueKind.Number || !min.TryGetInt32(out var m) || m < 0) errors.Add($"{at}.min_items: must be a whole number ≥ 0.");
                else minItems = m;
            }

            JsonElement[]? options = null;
            if (item.TryGetProperty("options", out var o))
            {
                if (o.ValueKind != JsonValueKind.Array || o.GetArrayLength() == 0) errors.Add($"{at}.options: must be a non-empty array.");
                else if (type is TemplateVariable.String or TemplateVariable.Number && o.EnumerateArray().Any(x => !VariableValues.HasType(x, type)))
                    errors.Add($"{at}.options: every option must be a {type}.");
                else options = o.EnumerateArray().Select(x => x.Clone()).ToArray();
            }

            JsonElement? @default = null;
            if (item.TryGetProperty("default", out var d) && d.ValueKind != JsonValueKind.Null)
            {
                @default = d.Clone();
                if (type is not null && errors.Count == before)
                {
                    var probe = new TemplateVariable
                    {
                        Name = name!, Type = type, Description = "", Required = false, Sensitive = false,
                        Options = options, MinItems = minItems, Fields = fields,
                    };
                    foreach (var (field, message) in VariableValues.CheckValue(probe, d, "default"))
                        errors.Add($"{at}.{field}: {message}");
                }
            }

            if (errors.Count > before) continue;
            result.Add(new TemplateVariable
            {
                Name = name!,
                Type = type!,
                Description = item.TryGetProperty("description", out var desc) && desc.ValueKind == JsonValueKind.String ? desc.GetString()! : "",
                Required = Flag(item, "required", errors, at),
                Sensitive = Flag(item, "sensitive", errors, at),
                Default = @default,
                Options = options,
                MinItems = minItems,
                Fields = fields,
            });
        }
        return result;
    }

    private static string? Text(JsonElement element, string property, List<string> errors, bool required, string? at = null)
    {
        var label = at is null ? property : $"{at}.{property}";
        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) errors.Add($"{label}: is required.");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            errors.Add($"{label}: must be a non-empty string.");
            return null;
        }
        return value.GetString()!.Trim();
    }

    private static bool Flag(JsonElement element, string property, List<string> errors, string at)
    {
        if (!element.TryGetProperty(property, out var value)) return false;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        errors.Add($"{at}.{property}: must be true or false.");
        return false;
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,99}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"(?m)^\s*variable\s+""([^""]+)""\s*\{")]
    private static partial Regex VariableBlock();
}
