using System.Text.Json;

namespace Amnify.Api.Features.Templates;

/// <summary>
/// One input a template declares (from its <c>template.json</c>). <c>object</c> and <c>list(object)</c>
/// variables describe their members in <see cref="Fields"/>.
/// </summary>
public sealed record TemplateVariable
{
    public const string String = "string";
    public const string Number = "number";
    public const string Bool = "bool";
    public const string Object = "object";
    public const string ListOfObject = "list(object)";
    public static readonly string[] Types = [String, Number, Bool, Object, ListOfObject];

    public required string Name { get; init; }
    /// <summary>string, number, bool, object or list(object).</summary>
    public required string Type { get; init; }
    public required string Description { get; init; }
    public required bool Required { get; init; }
    public required bool Sensitive { get; init; }
    public JsonElement? Default { get; init; }
    public JsonElement[]? Options { get; init; }
    /// <summary>For list(object): the fewest items accepted.</summary>
    public int? MinItems { get; init; }
    public TemplateVariable[]? Fields { get; init; }

    /// <summary>A value must be given: required and no default to fall back on.</summary>
    public bool NeedsValue => Required && Default is null;
}
