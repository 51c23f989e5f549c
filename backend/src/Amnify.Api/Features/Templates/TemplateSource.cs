using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Amnify.Api.Features.Templates;

/// <summary>
/// Where templates come from (<c>Templates:Source</c>): a local directory, or a git repository URL
/// (<c>Templates:Branch</c>, default main) pulled with the git CLI into a cache folder.
/// Either way its root holds <c>templates/&lt;provider&gt;/&lt;template-dir&gt;/</c>.
/// </summary>
public sealed class TemplateSource(IConfiguration configuration)
{
    public string? Configured => configuration["Templates:Source"];

    public static bool IsGitUrl(string source) =>
        source.Contains("://", StringComparison.Ordinal) || source.StartsWith("git@", StringComparison.Ordinal)
        || source.EndsWith(".git", StringComparison.Ordinal);

    /// <summary>The local folder to read, fetching it first when the source is a repository.</summary>
    public async Task<(string? Root, string? Error)> Fetch(CancellationToken cancellationToken)
    {
        var source = Configured;
        if (string.IsNullOrWhiteSpace(source)) return (null, "No template source is configured (set Templates__Source).");
        if (!IsGitUrl(source))
            return Directory.Exists(source) ? (Path.GetFullPath(source), null) : (null, $"The template source folder '{source}' does not exist.");

        var branch = configuration["Templates:Branch"] is { Length: > 0 } b ? b : "main";
        var cache = configuration["Templates:CacheDir"] is { Length: > 0 } c
            ? c
            : Path.Combine(Path.GetTempPath(), "amnify-templates",
                Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{source}#{branch}")))[..16]);

        var error = Directory.Exists(Path.Combine(cache, ".git"))
            ? await Git(cancellationToken, "-C", cache, "fetch", "--quiet", "--depth", "1", "origin", branch)
              ?? await Git(cancellationToken, "-C", cache, "reset", "--quiet", "--hard", "FETCH_HEAD")
            : await Clone(source, branch, cache, cancellationToken);
        return error is null ? (cache, null) : (null, $"Could not pull {source} ({branch}): {error}");
    }

    private static async Task<string?> Clone(string source, string branch, string cache, CancellationToken ct)
    {
        if (Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
        Directory.CreateDirectory(Path.GetDirectoryName(cache)!);
        return await Git(ct, "clone", "--quiet", "--depth", "1", "--branch", branch, source, cache);
    }

    /// <summary>Runs git without a prompt; answers its error text, or null on success.</summary>
    private static async Task<string?> Git(CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode == 0 ? null : (await stderr).Trim();
    }
}
