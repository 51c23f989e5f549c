namespace Amnify.Api.Terraform;

/// <summary>
/// Runs the terraform (or tofu) binary of <c>Engine:Terraform</c> in a work directory, inside the
/// <see cref="Sandbox"/> (an environment built from nothing, only the toolchain and that directory),
/// streaming each output line to a callback. Cancellation or the phase timeout kills the whole process tree.
/// </summary>
public sealed class TerraformCli(IConfiguration configuration, Sandbox sandbox)
{
    public string Binary => configuration["Engine:Terraform"] is { Length: > 0 } path ? path : "terraform";

    /// <summary>Start-up check: answers the version line, or a message saying what is missing.</summary>
    public async Task<(bool Ok, string Message)> Check()
    {
        var dir = Directory.CreateTempSubdirectory("amnify-terraform-check-").FullName;
        try
        {
            var lines = new List<string>();
            var code = await Run(dir, ["version"], new Dictionary<string, string>(), lines.Add, TimeSpan.FromSeconds(30), CancellationToken.None);
            return code == 0
                ? (true, lines.FirstOrDefault() ?? "")
                : (false, $"'{Binary} version' exited with {code} in the {sandbox.Mode} sandbox: {string.Join(' ', lines.Take(5))}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (false, $"The Terraform CLI '{Binary}' was not found: install terraform (or OpenTofu) or set Engine__Terraform to its path.");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public async Task<int> Run(
        string workDir, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment,
        Action<string> onLine, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var measured = Telemetry.RunTracing.Terraform(args[0]);
        var start = sandbox.Command(Binary, args, workDir, environment);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;

        using var process = await ProcessSpawner.Start(start);
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
        return measured.Exited(process.ExitCode);
    }

    private static async Task Pump(StreamReader reader, Action<string?> emit)
    {
        while (await reader.ReadLineAsync() is { } line) emit(line);
    }
}
