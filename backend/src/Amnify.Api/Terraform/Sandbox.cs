using System.Diagnostics;
using System.Runtime.InteropServices;
using Amnify.Api.Engine;
using Microsoft.Extensions.Options;

namespace Amnify.Api.Terraform;

/// <summary><c>Engine:Sandbox</c>: how template code is confined.</summary>
public enum SandboxMode
{
    /// <summary>Bubblewrap when it is installed and a probe run works, otherwise none with a warning.</summary>
    Auto,
    /// <summary>Bubblewrap or no start-up at all.</summary>
    Bubblewrap,
    /// <summary>No confinement beyond the explicit environment; only when set explicitly.</summary>
    None,
}

/// <summary>
/// Wraps every engine child process (Terraform, and through it providers, <c>local-exec</c>, <c>file()</c>)
/// so it sees only the toolchain and its own run directory, an environment the engine chose, and none of
/// the server's processes: bubblewrap with read-only binds, a fresh /tmp, its own PID, IPC and UTS
/// namespaces, no capabilities, killed with the worker. The network stays (providers need it).
/// </summary>
public sealed class Sandbox(IOptions<EngineOptions> options, StateRole state, ILogger<Sandbox> log)
{
    /// <summary>The only PATH template code gets: the toolchain, never the server's own PATH.</summary>
    public const string ToolchainPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static readonly string[] Toolchain = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

    /// <summary>What programs need from /etc to link, resolve names, verify TLS and know users; no secrets live here.</summary>
    private static readonly string[] SystemFiles =
    [
        "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives",
        "/etc/ssl", "/etc/ca-certificates", "/etc/pki", "/etc/resolv.conf", "/etc/hosts", "/etc/host.conf",
        "/etc/gai.conf", "/etc/nsswitch.conf", "/etc/services", "/etc/protocols", "/etc/passwd", "/etc/group",
        "/etc/localtime",
    ];

    /// <summary>Server variables passed on when set: proxies (providers must reach the cloud) and the CA bundle location.</summary>
    private static readonly string[] ServerVariables =
        ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR"];

    private SandboxMode? mode;

    public SandboxMode Configured => options.Value.Sandbox;

    /// <summary>Bubblewrap or None once <see cref="Start"/> decided.</summary>
    public SandboxMode Mode => mode ?? throw new InvalidOperationException("The sandbox is used before the engine's start-up check.");

    /// <summary>Shown on /readyz: a worker running template code unconfined says so.</summary>
    public IReadOnlyList<string> Warnings { get; private set; } = [];

    /// <summary>
    /// Decides the mode at start-up: <c>bubblewrap</c> fails start-up when the probe fails; <c>auto</c> falls
    /// back to none with a loud warning; <c>none</c> warns.
    /// </summary>
    public async Task Start()
    {
        if (Configured == SandboxMode.None)
        {
            Disable("Engine__Sandbox=none: template code runs without a sandbox.");
            return;
        }
        var failure = await Probe();
        if (failure is null)
        {
            mode = SandboxMode.Bubblewrap;
            log.LogInformation("Engine: template code runs in a bubblewrap sandbox");
            return;
        }
        if (Configured == SandboxMode.Bubblewrap)
            throw new InvalidOperationException(
                $"Engine__Sandbox=bubblewrap but the sandbox does not work here: {failure} Install bubblewrap and allow user namespaces (see the README's Security section), or set Engine__Sandbox=none to run template code unconfined.");
        Disable($"no working sandbox ({failure}), so template code runs without one. Install bubblewrap and allow user namespaces, or set Engine__Sandbox=none to acknowledge.");
    }

    private void Disable(string why)
    {
        mode = SandboxMode.None;
        var warning = "SANDBOX DISABLED: " + why
            + " Terraform, local-exec and file() can read every file and process this server's user can, and outlive a killed worker's other children.";
        Warnings = [warning];
        log.LogWarning("{Warning}", warning);
    }

    /// <summary>Runs /usr/bin/true in the sandbox; answers null when it works, else why not.</summary>
    private async Task<string?> Probe()
    {
        if (Resolve("bwrap") is null) return "bwrap is not installed.";
        var dir = Directory.CreateTempSubdirectory("amnify-sandbox-probe-").FullName;
        try
        {
            var start = Command(SandboxMode.Bubblewrap, "true", [], dir, new Dictionary<string, string>());
            start.RedirectStandardError = true;
            start.RedirectStandardOutput = true;
            using var process = await ProcessSpawner.Start(start);
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0 ? null : $"bwrap exited with {process.ExitCode}: {(await stderr).Trim()}";
        }
        catch (OperationCanceledException)
        {
            return "bwrap did not answer within 30 s.";
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// The process to start for <paramref name="binary"/> in <paramref name="workDir"/>: the environment is
    /// built from nothing (PATH, HOME in the run directory, the server's proxy variables, then the engine's own).
    /// </summary>
    public ProcessStartInfo Command(string binary, IReadOnlyList<string> args, string workDir, IReadOnlyDictionary<string, string> environment) =>
        Command(Mode, binary, args, workDir, environment);

    private ProcessStartInfo Command(
        SandboxMode sandbox, string binary, IReadOnlyList<string> args, string workDir, IReadOnlyDictionary<string, string> environment)
    {
        var program = Resolve(binary) ?? throw new System.ComponentModel.Win32Exception(2, $"{binary} was not found on PATH.");
        var start = new ProcessStartInfo { WorkingDirectory = workDir, UseShellExecute = false };
        start.Environment.Clear();
        start.Environment["PATH"] = ToolchainPath;
        start.Environment["HOME"] = workDir;
        start.Environment["TMPDIR"] = sandbox == SandboxMode.Bubblewrap ? "/tmp" : workDir;
        start.Environment["LANG"] = "C.UTF-8";
        foreach (var name in ServerVariables)
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value) start.Environment[name] = value;
        foreach (var (name, value) in environment) start.Environment[name] = value;

        if (sandbox == SandboxMode.Bubblewrap)
        {
            start.FileName = Resolve("bwrap")!;
            // The environment reaches the child by inheritance, not --setenv: a command line is readable by
            // every local user (ps) and, through bwrap's pid 1, from inside the sandbox.
            foreach (var a in BubblewrapArguments(program, workDir, start.Environment)) start.ArgumentList.Add(a);
        }
        else if (Resolve("setpriv") is { } setpriv)
        {
            // Without namespaces, at least Terraform itself dies with the worker (its own children may not).
            start.FileName = setpriv;
            foreach (var a in new[] { "--pdeathsig", "KILL", "--" }) start.ArgumentList.Add(a);
            start.ArgumentList.Add(program);
        }
        else start.FileName = program;
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }

    private List<string> BubblewrapArguments(string program, string workDir, IDictionary<string, string?> environment)
    {
        List<string> a =
        [
            "--die-with-parent", "--new-session",
            "--unshare-user-try", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--cap-drop", "ALL",
        ];
        foreach (var path in Toolchain)
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target) a.AddRange(["--symlink", target, path]);
            else if (Directory.Exists(path)) a.AddRange(["--ro-bind", path, path]);
        }
        foreach (var path in SystemFiles) a.AddRange(["--ro-bind-try", path, path]);
        a.AddRange(["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]);
        // Files the engine points Terraform at that live outside the toolchain: the CA of the state database, a CA bundle.
        string?[] extra = [state.RootCertificate, environment.TryGetValue("SSL_CERT_FILE", out var f) ? f : null,
            environment.TryGetValue("SSL_CERT_DIR", out var d) ? d : null];
        foreach (var path in extra.OfType<string>().Select(Path.GetFullPath).Distinct())
            a.AddRange(["--ro-bind-try", path, path]);
        if (!Toolchain.Any(t => program.StartsWith(t + "/", StringComparison.Ordinal))) a.AddRange(["--ro-bind", program, program]);
        a.AddRange(["--bind", workDir, workDir, "--chdir", workDir, "--", program]);
        return a;
    }

    /// <summary>The real file a command name or path runs (links followed, so only that file needs binding).</summary>
    private static string? Resolve(string binary)
    {
        var candidates = binary.Contains('/')
            ? [Path.GetFullPath(binary)]
            : (Environment.GetEnvironmentVariable("PATH") + ":" + ToolchainPath).Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Where(Path.IsPathRooted).Select(dir => Path.Combine(dir, binary));
        var found = candidates.FirstOrDefault(File.Exists);
        if (found is null) return null;
        return new FileInfo(found).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? found;
    }

    private const int PrSetDumpable = 4;

    [DllImport("libc", SetLastError = true)]
    private static extern int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    /// <summary>
    /// Makes this process non-dumpable: its /proc/&lt;pid&gt;/environ, mem and maps become readable only with
    /// CAP_SYS_PTRACE, so a child running as the same user cannot read the server's secrets even unsandboxed.
    /// </summary>
    public static void MakeProcessNonDumpable()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (prctl(PrSetDumpable, 0, 0, 0, 0) != 0)
            throw new InvalidOperationException($"prctl(PR_SET_DUMPABLE, 0) failed with errno {Marshal.GetLastPInvokeError()}.");
    }
}
