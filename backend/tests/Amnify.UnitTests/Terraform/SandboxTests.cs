using System.Diagnostics;
using Amnify.Api.Engine;
using Amnify.Api.Terraform;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Amnify.UnitTests.Terraform;

/// <summary>The real launcher on this machine's bubblewrap: what a child can see, and that it dies with its parent.</summary>
public sealed class SandboxTests : IDisposable
{
    private readonly string workDir = Directory.CreateTempSubdirectory("amnify-sandbox-run-").FullName;
    private readonly string outside = Directory.CreateTempSubdirectory("amnify-sandbox-outside-").FullName;
    private readonly string mark = $"mark-{Guid.NewGuid():N}";

    public void Dispose()
    {
        foreach (var pid in Marked()) TryKill(pid);
        Directory.Delete(workDir, recursive: true);
        Directory.Delete(outside, recursive: true);
    }

    private static async Task<Sandbox> Started(SandboxMode mode, string appConnection = "Host=127.0.0.1;Database=amnify;Username=app")
    {
        var options = Options.Create(new EngineOptions { Sandbox = mode });
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Amnify"] = appConnection,
            ["Secrets:Key"] = Convert.ToBase64String(new byte[32]),
        }).Build();
        var sandbox = new Sandbox(options, new StateRole(configuration, options, NullLogger<StateRole>.Instance), NullLogger<Sandbox>.Instance);
        await sandbox.Start();
        return sandbox;
    }

    private ProcessStartInfo Shell(Sandbox sandbox, string script)
    {
        var start = sandbox.Command("sh", ["-c", script], workDir, new Dictionary<string, string> { ["AMNIFY_MARK"] = mark, ["TF_IN_AUTOMATION"] = "1" });
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        return start;
    }

    private async Task<string> Output(Sandbox sandbox, string script)
    {
        using var process = await ProcessSpawner.Start(Shell(sandbox, script));
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }

    [Fact]
    public async Task Auto_picks_bubblewrap_where_it_works_and_warns_of_nothing()
    {
        var sandbox = await Started(SandboxMode.Auto);

        sandbox.Mode.Should().Be(SandboxMode.Bubblewrap);
        sandbox.Warnings.Should().BeEmpty();
    }

    [Fact]
    public async Task A_child_sees_only_the_environment_the_engine_chose()
    {
        Environment.SetEnvironmentVariable("AMNIFY_SERVER_CANARY", "server-canary-value");
        var sandbox = await Started(SandboxMode.Bubblewrap);

        var env = (await Output(sandbox, "env")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p.ElementAtOrDefault(1));

        env.Should().NotContainKey("AMNIFY_SERVER_CANARY");
        env.Values.Should().NotContain("server-canary-value");
        env["PATH"].Should().Be(Sandbox.ToolchainPath);
        env["HOME"].Should().Be(workDir);
        env["AMNIFY_MARK"].Should().Be(mark);
        env.Keys.Should().BeSubsetOf(["PATH", "HOME", "TMPDIR", "LANG", "PWD", "SHLVL", "_", "AMNIFY_MARK", "TF_IN_AUTOMATION",
            "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR"]);
    }

    [Fact]
    public async Task A_child_reads_its_run_directory_and_the_toolchain_but_no_other_file_nor_the_servers_processes()
    {
        await File.WriteAllTextAsync(Path.Combine(workDir, "mine.txt"), "run-file-content");
        await File.WriteAllTextAsync(Path.Combine(outside, "secret.key"), "outside-secret-content");
        var sandbox = await Started(SandboxMode.Bubblewrap);

        var output = await Output(sandbox,
            $"cat mine.txt; cat {outside}/secret.key; cat /proc/{Environment.ProcessId}/environ; ls {AppContext.BaseDirectory}; "
            + "echo pids: $(ls /proc | grep -c '^[0-9]'); touch /usr/amnify-probe; echo written > /tmp/x && cat /tmp/x; test -x /usr/bin/env && echo toolchain-ok");

        output.Should().Contain("run-file-content").And.Contain("toolchain-ok").And.Contain("written");
        output.Should().NotContain("outside-secret-content").And.NotContain("Amnify.Api.dll");
        output.Should().Contain($"/proc/{Environment.ProcessId}/environ: No such file");
        output.Should().MatchRegex(@"pids: [1-9]\b", "only the sandbox's own few processes are visible");
        output.Should().Contain("Read-only file system");
    }

    [Fact]
    public async Task The_state_databases_ca_file_and_a_terraform_binary_outside_the_toolchain_are_bound_read_only_and_nothing_beside_them()
    {
        var ca = Path.Combine(outside, "root.crt");
        await File.WriteAllTextAsync(ca, "-----BEGIN CERTIFICATE----- test");
        await File.WriteAllTextAsync(Path.Combine(outside, "beside.txt"), "beside-content");
        var tool = Path.Combine(outside, "tool");
        File.Copy("/usr/bin/cat", tool);
        var sandbox = await Started(SandboxMode.Bubblewrap, $"Host=127.0.0.1;Database=amnify;Username=app;SSL Mode=VerifyFull;Root Certificate={ca}");

        var start = sandbox.Command(tool, [ca, Path.Combine(outside, "beside.txt")], workDir, new Dictionary<string, string>());
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = await ProcessSpawner.Start(start);
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        output.Should().Contain("-----BEGIN CERTIFICATE----- test").And.NotContain("beside-content");
    }

    private IEnumerable<int> Marked() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(int.Parse!)
            .Where(pid =>
            {
                try { return File.ReadAllText($"/proc/{pid}/environ").Contains(mark); }
                catch (IOException) { return false; }
                catch (UnauthorizedAccessException) { return false; }
            });

    private async Task WaitFor(Func<bool> condition, string what)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(100);
        condition().Should().BeTrue(what);
    }

    private static void TryKill(int pid)
    {
        try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
    }

    [Fact]
    public async Task Killing_the_launcher_leaves_no_process_of_the_sandbox_alive()
    {
        var sandbox = await Started(SandboxMode.Bubblewrap);
        using var launcher = await ProcessSpawner.Start(Shell(sandbox, "sleep 300 & sleep 300"));
        await WaitFor(() => Marked().Count() >= 3, "sh and both sleeps run");

        launcher.Kill(entireProcessTree: false); // SIGKILL to bwrap alone, as the kernel does when the worker dies

        await WaitFor(() => !Marked().Any(), "no orphan outlives the sandbox");
    }

    /// <summary>
    /// Why <see cref="ProcessSpawner"/> exists: PR_SET_PDEATHSIG (bwrap --die-with-parent) fires when the
    /// forking thread exits, and Process.Start forks on the calling thread.
    /// </summary>
    [Fact]
    public async Task A_sandbox_started_from_a_thread_that_then_exits_is_killed_with_that_thread()
    {
        var sandbox = await Started(SandboxMode.Bubblewrap);
        Process? child = null;
        var thread = new Thread(() =>
        {
            child = Process.Start(Shell(sandbox, "sleep 300"));
            Thread.Sleep(1000); // as a pool thread lives on a while: bwrap has asked for the signal by then
        });
        thread.Start();
        thread.Join();

        await WaitFor(() => child!.HasExited, "the kernel killed it when its forking thread ended");
        child!.Dispose();
    }

    [Fact]
    public async Task A_sandbox_started_through_the_spawner_outlives_the_thread_that_asked_for_it()
    {
        var sandbox = await Started(SandboxMode.Bubblewrap);
        Process? child = null;
        var thread = new Thread(() =>
        {
            child = ProcessSpawner.Start(Shell(sandbox, "sleep 300")).GetAwaiter().GetResult();
            Thread.Sleep(1000);
        });
        thread.Start();
        thread.Join();

        await Task.Delay(1500);
        child!.HasExited.Should().BeFalse();
        child.Kill(entireProcessTree: true);
        child.Dispose();
    }

    [Fact]
    public async Task None_is_only_taken_when_asked_and_then_warns_and_still_kills_terraform_with_its_parent()
    {
        var sandbox = await Started(SandboxMode.None);

        sandbox.Mode.Should().Be(SandboxMode.None);
        sandbox.Warnings.Should().ContainSingle().Which.Should().Contain("SANDBOX DISABLED");
        var start = Shell(sandbox, "true");
        start.FileName.Should().Be("/usr/bin/setpriv");
        start.ArgumentList.Take(3).Should().Equal("--pdeathsig", "KILL", "--");
        start.Environment.Keys.Should().NotContain("AMNIFY_SERVER_CANARY");
    }
}
