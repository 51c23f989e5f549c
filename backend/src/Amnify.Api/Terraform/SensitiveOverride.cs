using System.Text.RegularExpressions;

namespace Amnify.Api.Terraform;

/// <summary>
/// Declares to Terraform the variables template.json calls sensitive, whatever the template's .tf says,
/// so Terraform itself prints "(sensitive value)" for them and for what derives from them. It is an
/// override file: Terraform merges each block of a <c>*_override.tf</c> into the block of the same name,
/// override files in name order, so the <c>zz_</c> prefix has this one merged last.
/// </summary>
public static partial class SensitiveOverride
{
    public const string FileName = "zz_amnify_sensitive_override.tf";

    public static void Write(string dir, IEnumerable<string> sensitiveVariables)
    {
        var blocks = sensitiveVariables.Select(name => $"variable \"{name}\" {{\n  sensitive = true\n}}\n").ToArray();
        if (blocks.Length > 0) File.WriteAllText(Path.Combine(dir, FileName), string.Concat(blocks));
    }

    /// <summary>
    /// Terraform refuses a root output that holds a sensitive value unless the output says so too, which a
    /// template that relied on template.json alone does not. Reads those refusals from a failed plan's
    /// output and marks the outputs sensitive in the override file; answers the outputs newly marked
    /// (none: the plan failed for another reason, and planning again would not help).
    /// </summary>
    public static string[] MarkRefusedOutputs(string dir, IReadOnlyList<string> planOutput)
    {
        var path = Path.Combine(dir, FileName);
        var existing = File.Exists(path) ? File.ReadAllText(path) : "";
        var marked = OutputBlock().Matches(existing).Select(m => m.Groups[1].Value).ToHashSet();
        var refused = new List<string>();
        for (var i = 0; i < planOutput.Count; i++)
        {
            if (!planOutput[i].Contains("Error: Output refers to sensitive values", StringComparison.Ordinal)) continue;
            // The diagnostic quotes the output block's first line a few lines below: `  12: output "name" {`.
            for (var j = i + 1; j < Math.Min(i + 6, planOutput.Count); j++)
                if (QuotedOutput().Match(planOutput[j]) is { Success: true } m)
                {
                    if (marked.Add(m.Groups[1].Value)) refused.Add(m.Groups[1].Value);
                    break;
                }
        }
        if (refused.Count > 0)
            File.AppendAllText(path, string.Concat(refused.Select(name => $"output \"{name}\" {{\n  sensitive = true\n}}\n")));
        return [.. refused];
    }

    [GeneratedRegex(@"\d+:\s*output\s+""([A-Za-z_][A-Za-z0-9_-]*)""")]
    private static partial Regex QuotedOutput();

    [GeneratedRegex(@"(?m)^output ""([^""]+)""")]
    private static partial Regex OutputBlock();
}
