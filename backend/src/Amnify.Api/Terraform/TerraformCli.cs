using System.Diagnostics;

namespace Amnify.Api.Terraform;

/// <summary>
/// Runs the terraform (or tofu) binary of <c>Engine:Terraform</c> in a work directory, with an
/// environment built from nothing (the API's own secrets never reach template code), streaming
/// each output line to a callback. Cancellation or the phase timeout kills the whole process tree.
/// </summary>
public sealed class TerraformCli(IConfiguration configuration)
{
    public string Binary => configuration["Engine:Terraform"] is { Length: > 0 } path ? path : "terraform";

    /// <summary>Start-up check: answers the version line, or a message saying what is missing.</summary>
    public async Task<(bool Ok, string Message)> Check()
    {
        try
        {
            var lines = new List<string>();
            var code = await Run(Path.GetTempPath(), ["version"], new Dictionary<string, string>(), lines.Add, TimeSpan.FromSeconds(30), CancellationToken.None);
            return code == 0 ? (true, lines.FirstOrDefault() ?? "") : (false, $"'{Binary} version' exited with {code}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (false, $"The Terraform CLI '{Binary}' was not found: install terraform (or OpenTofu) or set Engine__Terraform to its path.");
        }
    }

    public async Task<int> Run(
        string workDir, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment,
        Action<string> onLine, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Binary)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Clear();
        foreach (var name in new[] { "PATH", "HOME", "TMPDIR", "LANG", "SSL_CERT_FILE", "SSL_CERT_DIR" })
            if (Environment.GetEnvironmentVariable(name) is { } value) start.Environment[name] = value;
        foreach (var (name, value) in environment) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        await using var kill = limit.Token.Register(() =>
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        });
        var lockObj = new object();
        void Emit(string? line) { if (line is not null) lock (lockObj) onLine(line); }
        var stdout = Pump(process.StandardOutput, Emit);
        var stderr = Pump(process.StandardError, Emit);
        await process.WaitForExitAsync(CancellationToken.None);
        await Task.WhenAll(stdout, stderr);
        cancellationToken.ThrowIfCancellationRequested();
        if (limit.IsCancellationRequested) throw new TimeoutException($"terraform {args[0]} did not finish within {timeout}.");
        return process.ExitCode;
    }

    private static async Task Pump(StreamReader reader, Action<string?> emit)
    {
        while (await reader.ReadLineAsync() is { } line) emit(line);
    }
}
