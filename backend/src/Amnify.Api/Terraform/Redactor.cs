namespace Amnify.Api.Terraform;

/// <summary>Replaces every known secret value in text with a mask before it is stored or sent.</summary>
public sealed class Redactor
{
    public const string Mask = "********";
    // Very short values would mask ordinary words everywhere; three characters is the least treated as a secret.
    private const int MinSecretLength = 3;
    private readonly string[] secrets;

    public Redactor(IEnumerable<string?> secretValues) =>
        secrets = secretValues.Where(s => s is { Length: >= MinSecretLength }).Select(s => s!)
            .Distinct().OrderByDescending(s => s.Length).ToArray();

    public string Redact(string text)
    {
        foreach (var secret in secrets)
            if (text.Contains(secret, StringComparison.Ordinal)) text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return text;
    }
}
