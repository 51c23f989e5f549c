using System.Diagnostics;
using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Features.Pipelines;
using Amnify.Api.Tests.Features.Templates;
using Amnify.Api.Tests.Hosting;

namespace Amnify.Api.Tests.Cli;

/// <summary>
/// The `amnify` tool as a CI job gets it: packed into a nupkg, installed with `dotnet tool install` into a tool path
/// from that folder alone, and run as a process against the product running as a real process (API and engine, real
/// PostgreSQL and Terraform). Two templates: one that applies, one whose plan fails.
/// </summary>
public sealed class CliFixture : IAsyncLifetime
{
    public const string Template = "aws-cli-ok";
    public const string BrokenTemplate = "aws-cli-broken";
    public const int StreamsPerUser = 2;

    private readonly ApiFactory database = new();
    private readonly TemplateFolder templates = new();
    private readonly string root = Directory.CreateTempSubdirectory("amnify-cli-").FullName;
    private ProductProcess? api;

    public ProductProcess Api => api ?? throw new InvalidOperationException("Not started.");
    public string ToolPath => Path.Combine(root, "tools");
    public HttpClient Admin => Api.Client(ApiFactory.AdminToken);

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        templates.AddValid("aws", Template, new { name = "name", type = "string", required = true });
        templates.Add("aws", BrokenTemplate, new
        {
            id = BrokenTemplate, name = "Broken", description = "its plan fails", category = "infrastructure", cloud_provider = "aws", iac_type = "terraform",
            variables = new object[] { new { name = "name", type = "string", required = true } },
        }, "variable \"name\" {}\nresource \"terraform_data\" \"x\" {\n  input = file(\"/nonexistent/${var.name}\")\n}\n");
        var install = Task.Run(Install);
        api = ProductProcess.Start("api", ["--urls", "http://127.0.0.1:{port}"], new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Amnify"] = database.ConnectionString,
            ["Engine__StateConnectionString"] = database.StateConnectionString,
            ["Secrets__Key"] = database.SecretKey,
            ["Templates__Source"] = templates.Root,
            ["Templates__SyncOnStart"] = "true",
            ["Engine__PollSeconds"] = "1",
            // Few enough that a test can take them all and see --wait fall back to polling.
            ["Streams__PerUser"] = StreamsPerUser.ToString(),
            ["AMNIFY_BOOTSTRAP_ADMIN_TOKEN"] = ApiFactory.AdminToken,
        }, Path.Combine(root, "logs"));
        await api.WaitUntilReady();
        await install;
    }

    /// <summary>`dotnet pack` then `dotnet tool install` from a feed holding only that nupkg.</summary>
    private void Install()
    {
        var nupkg = Path.Combine(root, "nupkg");
        Dotnet("pack", Path.Combine(ApiFactory.RepositoryRoot, "backend", "src", "Amnify.Cli", "Amnify.Cli.csproj"), "-c", "Debug", "--nologo", "-v", "quiet", "-o", nupkg);
        var config = Path.Combine(root, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /><add key="local" value="{nupkg}" /></packageSources></configuration>
            """);
        Dotnet("tool", "install", "Amnify.Cli", "--tool-path", ToolPath, "--configfile", config, "--version", "0.1.0");
    }

    private static void Dotnet(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed:\n{output.Result}\n{error.Result}");
    }

    /// <summary>
    /// Runs <paramref name="commandLine"/> in bash, as a CI job's script line runs, with <c>amnify</c> on PATH and
    /// AMNIFY_URL/AMNIFY_TOKEN set (the admin's token unless <paramref name="environment"/> says otherwise).
    /// </summary>
    public async Task<CliResult> Shell(string commandLine, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? within = null)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(commandLine);
        start.Environment.Clear();
        start.Environment["PATH"] = $"{ToolPath}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["HOME"] = Environment.GetEnvironmentVariable("HOME") ?? root;
        start.Environment["DOTNET_ROOT"] = DotnetRoot;
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["AMNIFY_URL"] = Api.BaseAddress.ToString();
        start.Environment["AMNIFY_TOKEN"] = ApiFactory.AdminToken;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromMinutes(4));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"`{commandLine}` did not end in time:\n{await output}\n{await error}\n{Api.Log()}");
        }
        return new CliResult(process.ExitCode, await output, await error);
    }

    public Task<CliResult> Amnify(params string[] args) =>
        Shell("amnify " + string.Join(' ', args.Select(a => $"'{a.Replace("'", "'\\''")}'")));

    /// <summary>Where the running runtime lives: the tool's launcher needs it, as setup-dotnet gives it in CI.</summary>
    private static string DotnetRoot =>
        Environment.GetEnvironmentVariable("DOTNET_ROOT")
        ?? Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    /// <summary>A pipeline of one step, a deployment of <paramref name="template"/>, with a fresh name.</summary>
    public async Task<Pipeline> Pipeline(string template = Template)
    {
        var client = Admin;
        var deployment = await client.Deployment(template: template.Replace("aws-", ""), variables: new() { ["name"] = "cli" });
        var created = await client.PostJson("/api/v1/pipelines", new { provider = "aws", name = HttpExtensions.Unique("cli") });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var pipeline = await created.Read<Pipeline>();
        (await client.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = deployment.Id })).EnsureSuccessStatusCode();
        return pipeline;
    }

    public async Task<PipelineRun> PipelineRun(Guid id) => await (await Admin.GetAsync($"/api/v1/pipeline-runs/{id}")).Read<PipelineRun>();

    /// <summary>The person at the other end: approves every gate of the pipeline's runs until they end or the test stops it.</summary>
    public async Task ApproveEverything(Guid pipelineId, CancellationToken stop)
    {
        var client = Admin;
        while (!stop.IsCancellationRequested)
        {
            var runs = await (await client.GetAsync($"/api/v1/pipelines/{pipelineId}/runs", stop)).Read<Amnify.Api.Http.Page<PipelineRun>>();
            foreach (var step in runs.Items.SelectMany(r => r.Steps))
            {
                if (step.DeploymentRunStatus is RunStatus.AwaitingPlanApproval) await client.PostEmpty($"/api/v1/deployment-runs/{step.DeploymentRunId}/approve-plan");
                if (step.DeploymentRunStatus is RunStatus.AwaitingApplyApproval) await client.PostEmpty($"/api/v1/deployment-runs/{step.DeploymentRunId}/approve-apply");
            }
            await Task.Delay(300, stop);
        }
    }

    /// <summary>Polls until the run waits at a gate (the CLI's own waiting is what the tests check, not this).</summary>
    public async Task<PipelineRun> UntilAwaitingApproval(Guid runId)
    {
        var until = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var run = await PipelineRun(runId);
            if (run.Status == PipelineRunStatus.AwaitingApproval) return run;
            if (DateTime.UtcNow > until || run.FinishedAt is not null)
                throw new Xunit.Sdk.XunitException($"Pipeline run {runId} is {run.Status}.\n{Api.Log()}");
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        if (api is not null) await api.DisposeAsync();
        templates.Dispose();
        await database.DisposeAsync();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }
}

public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
