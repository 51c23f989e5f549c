using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Amnify.Api.Features.Templates;

/// <summary>
/// Where templates come from (<c>Templates:Source</c>): a local directory, or a git repository URL
/// (<c>Templates:Branch</c>, default main) pulled with the git CLI into a cache folder.
/// Either way its root holds <c>templates/&lt;provider&gt;/&lt;template-dir&gt;/</c>.
/// A repository URL's credentials are never shown: every message about the source goes through <see cref="Mask"/>.
/// </summary>
public sealed partial class TemplateSource(IConfiguration configuration)
{
    public const long DefaultMaxFileBytes = 1024 * 1024;

    // Local paths, file://, git:// and transport helpers such as ext:: (which runs a command) stay off unless configured.
    private static readonly string[] DefaultGitProtocols = ["https", "http", "ssh"];

    // git sees only these of the server's variables: never its secrets or database credentials.
    private static readonly string[] GitEnvironment =
        ["PATH", "HOME", "SSH_AUTH_SOCK", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"];

    private static readonly TimeSpan GitTimeout = TimeSpan.FromMinutes(2);

    public string? Configured => configuration["Templates:Source"];

    /// <summary>The largest file a template may hold (<c>Templates:MaxFileBytes</c>, 1 MiB unless set).</summary>
    public long MaxFileBytes => configuration.GetValue<long?>("Templates:MaxFileBytes") is long max and > 0 ? max : DefaultMaxFileBytes;

    /// <summary>The git transports a source may use (<c>Templates:AllowedGitProtocols</c>, comma-separated).</summary>
    public string[] AllowedGitProtocols =>
        configuration["Templates:AllowedGitProtocols"] is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(p => p.ToLowerInvariant()).ToArray()
            : DefaultGitProtocols;

    public static bool IsGitUrl(string source) =>
        source.Contains("://", StringComparison.Ordinal) || source.Contains("::", StringComparison.Ordinal)
        || source.StartsWith("git@", StringComparison.Ordinal) || source.EndsWith(".git", StringComparison.Ordinal);

    /// <summary>
    /// The transport git would use for <paramref name="source"/>: the URL scheme, the helper of <c>helper::address</c>,
    /// ssh for scp-like <c>[user@]host:path</c>, and file for a local path.
    /// </summary>
    public static string GitProtocol(string source) =>
        SchemeUrl().Match(source) is { Success: true } url ? url.Groups[1].Value.ToLowerInvariant()
        : HelperUrl().Match(source) is { Success: true } helper ? helper.Groups[1].Value.ToLowerInvariant()
        : ScpLike().IsMatch(source) ? "ssh"
        : "file";

    /// <summary>The text with every URL password (and an http token standing alone as the user) replaced by ***.</summary>
    public static string Mask(string text) =>
        UrlCredentials().Replace(text, m => Secret(m) is { } secret
            ? m.Value[..^(secret.Length + 1)] + "***@"
            : m.Value); // ssh://git@host: a user name, not a secret

    /// <summary>The secret part of a URL's userinfo: the password, or the whole userinfo of an http URL (a token).</summary>
    private static string? Secret(Match url)
    {
        var userInfo = url.Groups["userinfo"].Value;
        return userInfo.IndexOf(':') is var colon and >= 0 ? userInfo[(colon + 1)..]
            : url.Groups["scheme"].Value.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? userInfo
            : null;
    }

    /// <summary>The local folder to read, fetching it first when the source is a repository.</summary>
    public async Task<(string? Root, string? Error)> Fetch(CancellationToken cancellationToken)
    {
        var source = Configured;
        if (string.IsNullOrWhiteSpace(source)) return (null, "No template source is configured (set Templates__Source).");
        if (!IsGitUrl(source))
            return Directory.Exists(source) ? (Path.GetFullPath(source), null) : (null, $"The template source folder '{source}' does not exist.");

        var shown = Mask(source);
        var protocol = GitProtocol(source);
        var allowed = AllowedGitProtocols;
        if (!allowed.Contains(protocol))
            return (null, $"The template source {shown} uses the git transport '{protocol}', which is not allowed " +
                $"(allowed: {string.Join(", ", allowed)}; set Templates__AllowedGitProtocols to change that).");
        var branch = configuration["Templates:Branch"] is { Length: > 0 } b ? b : "main";
        if (!BranchName().IsMatch(branch) || branch.Contains("..", StringComparison.Ordinal))
            return (null, "Templates:Branch is not a valid branch name.");

        var cache = configuration["Templates:CacheDir"] is { Length: > 0 } c
            ? c
            : Path.Combine(Path.GetTempPath(), "amnify-templates",
                Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{source}#{branch}")))[..16]);

        // Fetched by URL into a plain repository, so no remote (and no password) is ever written to .git/config.
        var git = new Git(allowed, source, cancellationToken);
        var error = (Directory.Exists(Path.Combine(cache, ".git")) ? null : await Init(git, cache))
            ?? await git.Run("-C", cache, "fetch", "--quiet", "--no-tags", "--depth", "1", "--", source, branch)
            ?? await git.Run("-C", cache, "reset", "--quiet", "--hard", "FETCH_HEAD");
        return error is null ? (cache, null) : (null, $"Could not pull {shown} ({branch}): {error}");
    }

    private static async Task<string?> Init(Git git, string cache)
    {
        if (Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
        Directory.CreateDirectory(Path.GetDirectoryName(cache)!);
        return await git.Run("init", "--quiet", "--", cache);
    }

    /// <summary>Runs git with a minimal environment, no prompts, no credential helpers and only the allowed transports.</summary>
    private sealed class Git(string[] allowedProtocols, string source, CancellationToken ct)
    {
        /// <summary>Answers git's error text with the source's credentials masked, or null on success.</summary>
        public async Task<string?> Run(params string[] args)
        {
            var start = new ProcessStartInfo("git") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
            foreach (var a in (string[])["-c", "credential.helper=", "-c", "core.askPass=", .. args]) start.ArgumentList.Add(a);
            start.Environment.Clear();
            foreach (var name in GitEnvironment)
                if (Environment.GetEnvironmentVariable(name) is { } value) start.Environment[name] = value;
            start.Environment["GIT_TERMINAL_PROMPT"] = "0";
            start.Environment["GIT_ALLOW_PROTOCOL"] = string.Join(':', allowedProtocols);
            start.Environment["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes";
            start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
            start.Environment["LC_ALL"] = "C";

            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(GitTimeout);
            try
            {
                var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.StandardOutput.ReadToEndAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
                return process.ExitCode == 0 ? null : MaskIn((await stderr).Trim());
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return $"git did not finish within {GitTimeout.TotalMinutes} minutes.";
            }
            finally
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
        }

        /// <summary>git may quote the URL, or its password decoded, in its own words: both are masked.</summary>
        private string MaskIn(string text)
        {
            var masked = Mask(text);
            if (UrlCredentials().Match(source) is not { Success: true } url || Secret(url) is not { Length: > 0 } secret) return masked;
            foreach (var form in new[] { secret, Uri.UnescapeDataString(secret) }.Distinct())
                masked = masked.Replace(form, "***", StringComparison.Ordinal);
            return masked;
        }
    }

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.-]*)://")]
    private static partial Regex SchemeUrl();

    [GeneratedRegex(@"^([A-Za-z0-9][A-Za-z0-9+.-]*)::")]
    private static partial Regex HelperUrl();

    // git's rule: a colon before any slash makes it scp-like ssh.
    [GeneratedRegex(@"^[^/:]+:")]
    private static partial Regex ScpLike();

    // The userinfo runs to the last @ before the host, so a raw @ inside a password is masked too.
    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?<userinfo>[^/?#\s'""]*)@")]
    private static partial Regex UrlCredentials();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}$")]
    private static partial Regex BranchName();
}
