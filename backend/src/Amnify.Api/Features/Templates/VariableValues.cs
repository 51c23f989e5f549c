using System.Text.Json;

namespace Amnify.Api.Features.Templates;

/// <summary>Checks variable values against a template's declarations; every problem is reported under its own path.</summary>
public static class VariableValues
{
    public const int MaxStringLength = 10_000;

    public static bool HasType(JsonElement value, string type) => type switch
    {
        TemplateVariable.String => value.ValueKind == JsonValueKind.String,
        TemplateVariable.Number => value.ValueKind == JsonValueKind.Number,
        TemplateVariable.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        TemplateVariable.Object => value.ValueKind == JsonValueKind.Object,
        TemplateVariable.ListOfObject => value.ValueKind == JsonValueKind.Array,
        _ => false,
    };

    /// <summary>
    /// Every problem of <paramref name="values"/>: unknown names, required values missing (a default counts
    /// as a value), and each value's type, options and nested fields. Paths are relative to the variables object.
    /// </summary>
    public static List<(string Field, string Message)> Check(
        IReadOnlyList<TemplateVariable> declared, IReadOnlyDictionary<string, JsonElement> values)
    {
        var problems = new List<(string, string)>();
        var byName = declared.ToDictionary(v => v.Name);
        foreach (var (name, value) in values)
        {
            if (!byName.TryGetValue(name, out var variable)) problems.Add((name, $"The template declares no variable '{name}'."));
            else if (value.ValueKind != JsonValueKind.Null) problems.AddRange(CheckValue(variable, value, name));
        }
        foreach (var name in Missing(declared, values.Where(v => v.Value.ValueKind != JsonValueKind.Null).Select(v => v.Key)))
            problems.Add((name, $"{name} is required."));
        return problems;
    }

    /// <summary>The required variables that have neither a value nor a default.</summary>
    public static string[] Missing(IReadOnlyList<TemplateVariable> declared, IEnumerable<string> given)
    {
        var set = given.ToHashSet();
        return declared.Where(v => v.NeedsValue && !set.Contains(v.Name)).Select(v => v.Name).ToArray();
    }

    public static IEnumerable<(string Field, string Message)> CheckValue(TemplateVariable variable, JsonElement value, string path)
    {
        if (!HasType(value, variable.Type))
        {
            yield return (path, $"Must be {Article(variable.Type)}.");
            yield break;
        }
        if (value.ValueKind == JsonValueKind.String && value.GetString()!.Length > MaxStringLength)
            yield return (path, $"Must be at most {MaxStringLength} characters.");
        if (variable.Options is { Length: > 0 } options && variable.Type is not TemplateVariable.Object and not TemplateVariable.ListOfObject
            && !options.Any(o => JsonElement.DeepEquals(o, value)))
            yield return (path, $"Must be one of: {string.Join(", ", options.Select(o => o.ToString()))}.");

        if (variable.Type == TemplateVariable.Object)
            foreach (var problem in CheckObject(variable.Fields ?? [], value, path)) yield return problem;

        if (variable.Type == TemplateVariable.ListOfObject)
        {
            var count = value.GetArrayLength();
            if (variable.MinItems is { } min && count < min)
                yield return (path, $"Needs at least {min} item{(min == 1 ? "" : "s")}.");
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                var at = $"{path}[{index++}]";
                if (item.ValueKind != JsonValueKind.Object) yield return (at, "Must be an object.");
                else foreach (var problem in CheckObject(variable.Fields ?? [], item, at)) yield return problem;
            }
        }
    }

    private static IEnumerable<(string, string)> CheckObject(TemplateVariable[] fields, JsonElement value, string path)
    {
        var byName = fields.ToDictionary(f => f.Name);
        foreach (var property in value.EnumerateObject())
        {
            if (!byName.TryGetValue(property.Name, out var field)) yield return ($"{path}.{property.Name}", "Not a field of this object.");
            else if (property.Value.ValueKind != JsonValueKind.Null)
                foreach (var problem in CheckValue(field, property.Value, $"{path}.{property.Name}")) yield return problem;
        }
        foreach (var field in fields.Where(f => f.NeedsValue))
            if (!value.TryGetProperty(field.Name, out var v) || v.ValueKind == JsonValueKind.Null)
                yield return ($"{path}.{field.Name}", $"{field.Name} is required.");
    }

    private static string Article(string type) => type switch
    {
        TemplateVariable.String => "a string",
        TemplateVariable.Number => "a number",
        TemplateVariable.Bool => "true or false",
        TemplateVariable.Object => "an object",
        _ => "a list of objects",
    };
}
