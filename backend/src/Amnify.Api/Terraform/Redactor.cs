using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Amnify.Api.Terraform;

/// <summary>
/// Replaces every known secret in text with a mask before it is stored or sent. Each secret is hidden
/// in every form Terraform or template code prints it: as given, JSON- and HCL-escaped, and line by
/// line when it spans lines (a heredoc in the plan prints each line on its own).
/// </summary>
public sealed class Redactor
{
    public const string Mask = "********";
    // Very short values would mask ordinary words everywhere; three characters is the least treated as a secret.
    private const int MinSecretLength = 3;
    // A line of a multi-line secret is hidden on its own from four characters: shorter lines ("}", "--") are everywhere.
    private const int MinLineLength = 4;

    private readonly string[] patterns;
    private readonly SearchValues<string>? anyPattern;

    public Redactor(IEnumerable<string?> secretValues)
    {
        patterns = secretValues.Where(s => s is { Length: >= MinSecretLength }).SelectMany(s => FormsOf(s!))
            .Distinct(StringComparer.Ordinal).ToArray();
        anyPattern = patterns.Length == 0 ? null : SearchValues.Create(patterns, StringComparison.Ordinal);
    }

    /// <summary>
    /// The secrets a sensitive value holds: a string as it is, an object or list leaf by leaf, a number
    /// by its text. Booleans and null are left out: masking every "true" in a log would hide nothing.
    /// </summary>
    public static IEnumerable<string> SecretsIn(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Number => NumberTexts(value),
        JsonValueKind.Object => value.EnumerateObject().SelectMany(p => SecretsIn(p.Value)),
        JsonValueKind.Array => value.EnumerateArray().SelectMany(SecretsIn),
        _ => [],
    };

    public string Redact(string text)
    {
        if (anyPattern is null || text.AsSpan().IndexOfAny(anyPattern) < 0) return text;
        // Every occurrence of every form, overlapping ones merged, so two secrets that overlap leave no fragment of either.
        var hidden = new List<(int Start, int End)>();
        foreach (var pattern in patterns)
            for (var i = text.IndexOf(pattern, StringComparison.Ordinal); i >= 0; i = text.IndexOf(pattern, i + 1, StringComparison.Ordinal))
                hidden.Add((i, i + pattern.Length));
        hidden.Sort();
        var result = new StringBuilder(text.Length);
        var copied = 0;
        var end = -1;
        foreach (var (start, stop) in hidden)
        {
            if (start > end)
            {
                result.Append(text, copied, start - copied).Append(Mask);
                end = stop;
            }
            else end = Math.Max(end, stop);
            copied = end;
        }
        return result.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>The resources of a plan, their addresses redacted (a for_each key may be a secret).</summary>
    public PlanSummary Redact(PlanSummary summary) =>
        summary with { Resources = [.. summary.Resources.Select(r => r with { Address = Redact(r.Address) })] };

    private static IEnumerable<string> NumberTexts(JsonElement number)
    {
        var raw = number.GetRawText();
        yield return raw;
        // Terraform prints a number in its own way: 1e3 as 1000, 1.50 as 1.5.
        if (number.TryGetDecimal(out var d) && d.ToString("G29", CultureInfo.InvariantCulture) is var printed && printed != raw) yield return printed;
    }

    /// <summary>The ways a string is escaped when it is printed inside quotes.</summary>
    private static readonly Func<string, string>[] Escapes =
    [
        s => JsonEscaped(s, htmlSafe: true), // Go's encoding/json: terraform output -json, jsonencode()
        s => JsonEscaped(s, htmlSafe: false), // most other JSON writers
        s => JsonSerializer.Serialize(s)[1..^1], // .NET's default encoder (escapes + ' and non-ASCII too)
        HclQuoted,
        s => HclQuoted(s).Replace("${", "$${", StringComparison.Ordinal).Replace("%{", "%%{", StringComparison.Ordinal), // HCL source
    ];

    private static IEnumerable<string> FormsOf(string secret)
    {
        yield return secret;
        // Escaped once, and twice: a JSON string quoted again, as local-exec prints the command it runs.
        foreach (var once in Escapes.Select(escape => escape(secret)))
        {
            yield return once;
            foreach (var escape in Escapes) yield return escape(once);
        }
        if (secret.Contains('\n'))
            foreach (var line in secret.Split('\n'))
                if (line.Trim() is { Length: >= MinLineLength } trimmed) yield return trimmed;
    }

    private static string JsonEscaped(string s, bool htmlSafe)
    {
        var b = new StringBuilder(s.Length + 8);
        foreach (var c in s)
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                case '\b': b.Append("\\b"); break;
                case '\f': b.Append("\\f"); break;
                case '<' or '>' or '&' when htmlSafe: b.Append($"\\u{(int)c:x4}"); break;
                case < ' ' or '\u2028' or '\u2029': b.Append($"\\u{(int)c:x4}"); break;
                default: b.Append(c); break;
            }
        return b.ToString();
    }

    /// <summary>As Terraform prints a string in a plan or its outputs (Go's strconv.Quote): what is not printable is escaped.</summary>
    private static string HclQuoted(string s)
    {
        var b = new StringBuilder(s.Length + 8);
        foreach (var c in s)
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                case '\a': b.Append("\\a"); break;
                case '\b': b.Append("\\b"); break;
                case '\f': b.Append("\\f"); break;
                case '\v': b.Append("\\v"); break;
                case < ' ' or '\x7f': b.Append($"\\x{(int)c:x2}"); break;
                case not ' ' when !char.IsSurrogate(c) && char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
                    or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                    or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned:
                    b.Append($"\\u{(int)c:x4}");
                    break;
                default: b.Append(c); break;
            }
        return b.ToString();
    }
}
