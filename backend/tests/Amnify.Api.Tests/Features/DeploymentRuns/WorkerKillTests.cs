using System.Diagnostics;
using Amnify.Api.Engine;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Tests.Features.Templates;
using Dapper;
using Npgsql;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

/// <summary>
/// A real worker process (<c>--role worker</c>) killed with SIGKILL while a template's local-exec runs
/// <c>sleep 300 &amp; sleep 300</c>: nothing it started lives on to hold the state lock.
/// </summary>
public sealed class WorkerKillTests : IAsyncLifetime
{
    private readonly ApiFactory database = new();
    private readonly TemplateFolder folder = new();
    private readonly string workDir = Directory.CreateTempSubdirectory("amnify-kill-runs-").FullName;
    private string? schema;

    public Task InitializeAsync() => database.InitializeAsync();

    public async Task DisposeAsync()
    {
        // Without the sandbox local-exec's children are orphaned by design: they must not outlive the test.
        foreach (var pid in EngineProcesses())
            try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        await database.DisposeAsync();
        await using (var cluster = new NpgsqlConnection(ApiFactory.ClusterConnectionString))
            await cluster.ExecuteAsync($"DROP ROLE IF EXISTS \"{StateRole.RoleName(new NpgsqlConnectionStringBuilder(database.ConnectionString).Database!)}\"");
        folder.Dispose();
        Directory.Delete(workDir, recursive: true);
    }


    private Process StartWorker(string sandbox)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Amnify.Api.dll"), "--role", "worker", "--urls", "http://127.0.0.1:0" })
            start.ArgumentList.Add(a);
        start.Environment["ConnectionStrings__Amnify"] = database.ConnectionString;
        start.Environment["Engine__StateConnectionString"] = database.StateConnectionString;
        start.Environment["Secrets__Key"] = database.SecretKey;
        start.Environment["AMNIFY_BOOTSTRAP_ADMIN_TOKEN"] = ApiFactory.AdminToken;
        start.Environment["Engine__WorkDir"] = workDir;
        start.Environment["Engine__Sandbox"] = sandbox;
        start.Environment["Engine__PollSeconds"] = "1";
        var worker = Process.Start(start)!;
        worker.OutputDataReceived += (_, _) => { };
        worker.ErrorDataReceived += (_, _) => { };
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Every process started for this deployment's run: each inherits Terraform's PG_SCHEMA_NAME.</summary>
    private List<int> EngineProcesses() =>
        schema is null ? [] : Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(int.Parse!)
            .Where(pid =>
            {
                try { return File.ReadAllText($"/proc/{pid}/environ").Contains($"PG_SCHEMA_NAME={schema}\0"); }
                catch (IOException) { return false; }
                catch (UnauthorizedAccessException) { return false; }
            }).ToList();

    private static string Name(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (IOException) { return ""; }
    }

    private static async Task WaitFor(Func<bool> condition, string what, int seconds)
    {
        for (var until = DateTime.UtcNow.AddSeconds(seconds); !condition() && DateTime.UtcNow < until;) await Task.Delay(200);
        condition().Should().BeTrue(what);
    }

    [Theory]
    [InlineData("bubblewrap")]
    [InlineData("none")]
    public async Task A_worker_killed_during_apply_leaves_no_terraform_behind_and_with_the_sandbox_no_process_at_all(string sandbox)
    {
        var id = $"sleeper-{Guid.NewGuid():N}"[..20];
        folder.Add("aws", id, new
        {
            id, name = "Sleeper", description = "a long local-exec", category = "infrastructure", cloud_provider = "aws", iac_type = "terraform",
            variables = Array.Empty<object>(),
        }, """
            resource "terraform_data" "slow" {
              provisioner "local-exec" {
                command = "sleep 300 & sleep 300"
              }
            }
            """);
        // The API without an engine: every phase of the run is the worker process's.
        await using var api = database.AnotherHost(b =>
        {
            b.UseSetting("Templates:Source", folder.Root);
            b.UseSetting("Engine:Role", "api");
        });
        var client = api.CreateClient();
        await client.SyncExamples();
        var project = await client.Project("aws");
        var environment = await client.Environment("aws");
        var deployment = await (await client.PostJson("/api/v1/deployments", new
        {
            projectId = project.Id, templateId = id, cloudEnvironmentId = environment.Id, name = HttpExtensions.Unique("sleeper"),
            variables = new { },
        })).Read<Deployment>();
        schema = StateRole.SchemaName(deployment.Id);
        using var worker = StartWorker(sandbox);

        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval, seconds: 120);
        await client.Approve(run.Id, "approve-plan");
        await client.Approve(run.Id, "approve-apply");
        await WaitFor(() => EngineProcesses().Count(pid => Name(pid) == "sleep") == 2, "the local-exec runs both sleeps", 90);
        EngineProcesses().Select(Name).Should().Contain("terraform");

        worker.Kill(entireProcessTree: false);
        await worker.WaitForExitAsync();

        await WaitFor(() => !EngineProcesses().Any(pid => Name(pid) == "terraform"), "terraform dies with its worker", 10);
        if (sandbox == "bubblewrap")
            await WaitFor(() => EngineProcesses().Count == 0, "no sh or sleep outlives the worker", 10);
    }
}
