using System.Diagnostics;
using System.Text.Json;

namespace Amnify.Harness.Infra;

/// <summary>One bare init / plan -out / apply sequence, timed step by step.</summary>
public sealed record BareSequence(double InitMs, double PlanMs, double ApplyMs)
{
    public double TotalMs => InitMs + PlanMs + ApplyMs;
}

/// <summary>
/// The CLI calls the engine makes for one run, timed one by one (plan phase, then apply in the plan's directory), and
/// <paramref name="StartupMs"/>: <c>terraform version</c>, the start-up every call pays before it does any work.
/// </summary>
public sealed record EngineCliSequence(double PlanInitMs, double PlanMs, double ShowJsonMs, double ApplyMs, double StartupMs)
{
    public double TotalMs => PlanInitMs + PlanMs + ShowJsonMs + ApplyMs;

    /// <summary>What is left on a step's path when its init was prepared while the previous step ran.</summary>
    public double WithoutInitMs => PlanMs + ShowJsonMs + ApplyMs;
}

/// <summary>
/// The baseline of the orchestration benchmark: the aws network template run by the bench itself with
/// the Terraform CLI, the same pg backend and environment the engine uses, and nothing else.
/// </summary>
public sealed class BareTerraform(string repo, string stateUrl, string terraform = "terraform")
{
    public async Task<BareSequence> Run(string schema, string name)
    {
        var (dir, env) = await Prepare(schema, name);
        try
        {
            var init = await Cli(dir, env, "init", "-input=false", "-no-color");
            var plan = await Cli(dir, env, "plan", "-input=false", "-no-color", "-out=p");
            var apply = await Cli(dir, env, "apply", "-input=false", "-no-color", "p");
            return new BareSequence(init, plan, apply);
        }
        finally
        {
            Delete(dir);
        }
    }

    /// <summary>
    /// What the engine runs for one deployment run (RunExecutor.Plan then RunExecutor.Apply), without the engine:
    /// init, plan -out (its output is the readable plan), show -json; then apply in the same directory (the outputs are
    /// read from the state, no CLI call). Not part of the ratio; it tells how much of the gap is the CLI calls.
    /// </summary>
    public async Task<EngineCliSequence> RunEngineEquivalent(string schema, string name)
    {
        var (dir, env) = await Prepare(schema, name);
        try
        {
            var init = await Cli(dir, env, "init", "-input=false", "-no-color");
            var plan = await Cli(dir, env, "plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=plan.tfplan");
            var showJson = await Cli(dir, env, "show", "-json", "plan.tfplan");
            var apply = await Cli(dir, env, "apply", "-input=false", "-no-color", "plan.tfplan");
            var startup = await Cli(dir, env, "version");
            return new EngineCliSequence(init, plan, showJson, apply, startup);
        }
        finally
        {
            Delete(dir);
        }
    }

    private async Task<(string Dir, Dictionary<string, string> Env)> Prepare(string schema, string name)
    {
        var dir = Directory.CreateTempSubdirectory("amnify-bench-tf-").FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(repo, "backend/examples/templates/aws/network"), "*.tf"))
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        await File.WriteAllTextAsync(Path.Combine(dir, "zz_backend.tf"), "terraform {\n  backend \"pg\" {}\n}\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "terraform.tfvars.json"),
            JsonSerializer.Serialize(new Dictionary<string, string> { ["name"] = name, ["region"] = "us-east-1" }));
        var cliConfig = Path.Combine(dir, ".terraformrc");
        await File.WriteAllTextAsync(cliConfig, "");
        var env = new Dictionary<string, string>
        {
            ["PG_CONN_STR"] = stateUrl,
            ["PG_SCHEMA_NAME"] = schema,
            ["TF_IN_AUTOMATION"] = "1",
            ["CHECKPOINT_DISABLE"] = "1",
            ["TF_INPUT"] = "0",
            ["TF_CLI_CONFIG_FILE"] = cliConfig,
        };
        return (dir, env);
    }

    private static void Delete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    private async Task<double> Cli(string dir, Dictionary<string, string> env, params string[] args)
    {
        var start = new ProcessStartInfo(terraform)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Clear();
        foreach (var name in new[] { "PATH", "HOME", "TMPDIR", "LANG" })
            if (Environment.GetEnvironmentVariable(name) is { } value) start.Environment[name] = value;
        foreach (var (k, v) in env) start.Environment[k] = v;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        var ms = clock.Elapsed.TotalMilliseconds;
        // plan -detailed-exitcode answers 2 when there are changes.
        if (process.ExitCode != 0 && !(process.ExitCode == 2 && args.Contains("-detailed-exitcode"))) throw new InvalidOperationException($"terraform {string.Join(' ', args)} exited with {process.ExitCode}:\n{output}");
        return ms;
    }
}
