using System.Text.RegularExpressions;

namespace Amnify.Api.Features.Templates;

/// <summary>An output a template declares (an <c>output</c> block of its .tf files), known before anything runs.</summary>
public sealed partial record TemplateOutput
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public required bool Sensitive { get; init; }

    /// <summary>
    /// The <c>output</c> blocks of <paramref name="terraformFiles"/>, by name. Only each block's own top-level
    /// <c>description</c> and <c>sensitive</c> are read: a literal string and <c>true</c>, as Terraform requires them.
    /// </summary>
    public static TemplateOutput[] Parse(IEnumerable<string> terraformFiles)
    {
        var outputs = new Dictionary<string, TemplateOutput>();
        foreach (var tf in terraformFiles)
            foreach (Match block in OutputBlock().Matches(tf))
            {
                var body = Body(tf, block.Index + block.Length);
                var description = DescriptionAttribute().Match(body) is { Success: true } d ? Regex.Unescape(d.Groups[1].Value) : null;
                outputs[block.Groups[1].Value] = new TemplateOutput
                {
                    Name = block.Groups[1].Value, Description = description, Sensitive = SensitiveTrue().IsMatch(body),
                };
            }
        return outputs.Values.OrderBy(o => o.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The block's body at its own nesting level: nested blocks are left out.</summary>
    private static string Body(string text, int start)
    {
        var body = new System.Text.StringBuilder();
        var (depth, inString) = (1, false);
        for (var i = start; i < text.Length && depth > 0; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (depth == 1) body.Append(c);
                if (c == '\\' && i + 1 < text.Length)
                {
                    if (depth == 1) body.Append(text[i + 1]);
                    i++;
                }
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '{') depth++;
            else if (c == '}') depth--;
            else if (depth == 1)
            {
                if (c == '"') inString = true;
                body.Append(c);
            }
        }
        return body.ToString();
    }

    [GeneratedRegex(@"(?m)^\s*output\s+""([^""]+)""\s*\{")]
    private static partial Regex OutputBlock();

    [GeneratedRegex(@"(?m)^\s*description\s*=\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex DescriptionAttribute();

    [GeneratedRegex(@"(?m)^\s*sensitive\s*=\s*true\b")]
    private static partial Regex SensitiveTrue();
}
