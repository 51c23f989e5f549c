using System.Net;
using System.Text.RegularExpressions;
using Amnify.Api.Engine;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Features.Pipelines;
using Amnify.Api.Tests.Features.Templates;
using Dapper;

namespace Amnify.Api.Tests.Hosting;

/// <summary>
/// The product as it is deployed: one `--role api` process and two `--role worker` processes, each a real OS
/// process on the password-protected database. A worker is killed with SIGKILL while it plans; the pipeline
/// still completes, no step runs twice, every phase ran on a worker, and the api process ran no Terraform.
/// </summary>
[Trait("Category", "Processes")]
public sealed partial class TopologyTests : IAsyncLifetime
{
    private readonly ApiFactory database = new();
    private readonly TemplateFolder templates = new();
    private readonly string logs = Directory.CreateTempSubdirectory("amnify-topology-").FullName;
    private readonly List<ProductProcess> processes = [];

    public Task InitializeAsync() => database.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var p in processes) await p.DisposeAsync();
        templates.Dispose();
        await database.DisposeAsync();
    }

    private ProductProcess Start(string name, string role, Dictionary<string, string> extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Amnify"] = database.ConnectionString,
            ["Engine__StateConnectionString"] = database.StateConnectionString,
            ["Secrets__Key"] = database.SecretKey,
        };
        foreach (var (k, v) in extra) environment[k] = v;
        var process = ProductProcess.Start(name, ["--role", role, "--urls", "http://127.0.0.1:{port}"], environment, logs);
        processes.Add(process);
        return process;
    }

    [Fact]
    public async Task A_pipeline_completes_across_two_workers_when_one_is_killed_while_it_plans()
    {
        // Enough resources that a plan takes long enough to be caught in the act.
        templates.Add("aws", "fleet", new
        {
            id = "aws-fleet", name = "Fleet", description = "many resources", category = "infrastructure", cloud_provider = "aws", iac_type = "terraform",
            variables = new object[] { new { name = "name", type = "string", required = true } },
        }, """
           variable "name" {}
           resource "terraform_data" "node" {
             count = 150
             input = "${var.name}-${count.index}"
           }
           """);
        var api = Start("api", "api", new()
        {
            ["Templates__Source"] = templates.Root,
            ["AMNIFY_BOOTSTRAP_ADMIN_TOKEN"] = ApiFactory.AdminToken,
            // The api role must never need Terraform: give it none.
            ["Engine__Terraform"] = "/nonexistent/terraform",
        });
        await api.WaitUntilReady();
        var workers = new[] { "worker1", "worker2" }.Select(n => Start(n, "worker", new()
        {
            ["Engine__LeaseSeconds"] = "3",
            ["Engine__PollSeconds"] = "1",
        })).ToArray();
        foreach (var w in workers) await w.WaitUntilReady();

        var client = api.Client(ApiFactory.AdminToken);
        await client.SyncExamples();
        var project = await client.Project();
        var environment = await client.Environment();
        var steps = new List<Deployment>();
        for (var i = 1; i <= 3; i++)
        {
            var created = await client.PostJson("/api/v1/deployments", new
            {
                projectId = project.Id, templateId = "aws-fleet", cloudEnvironmentId = environment.Id,
                name = HttpExtensions.Unique($"fleet{i}"), variables = new { name = $"fleet{i}" },
            });
            created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            steps.Add(await created.Read<Deployment>());
        }
        var pipeline = await (await client.PostJson("/api/v1/pipelines", new { provider = "aws", name = HttpExtensions.Unique("topology") })).Read<Pipeline>();
        foreach (var d in steps) (await client.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = d.Id })).EnsureSuccessStatusCode();
        var run = await (await client.PostEmpty($"/api/v1/pipelines/{pipeline.Id}/runs")).Read<PipelineRun>();

        ProductProcess? killed = null;
        Guid? interrupted = null;
        await using var db = await database.OpenDatabase();
        var until = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            run = await (await client.GetAsync($"/api/v1/pipeline-runs/{run.Id}")).Read<PipelineRun>();
            if (run.Status is PipelineRunStatus.Completed or PipelineRunStatus.Failed or PipelineRunStatus.Cancelled) break;
            if (DateTime.UtcNow > until) throw new Xunit.Sdk.XunitException($"The pipeline run is still {run.Status}.\n{Logs()}");
            var current = run.Steps.FirstOrDefault(s => s.Status == PipelineStepStatus.Running);
            if (killed is null && current?.DeploymentRunId is { } planningRun)
            {
                var owner = await db.ExecuteScalarAsync<string?>(
                    "SELECT worker_id FROM deployment_runs WHERE id = @Id AND status = 'planning'", new { Id = planningRun });
                killed = owner is null ? null : workers.SingleOrDefault(w => PidOf(owner) == w.Pid);
                killed?.Kill();
                if (killed is not null) interrupted = planningRun;
            }
            if (current?.DeploymentRunStatus is RunStatus.AwaitingPlanApproval) await client.PostEmpty($"/api/v1/deployment-runs/{current.DeploymentRunId}/approve-plan");
            else if (current?.DeploymentRunStatus is RunStatus.AwaitingApplyApproval) await client.PostEmpty($"/api/v1/deployment-runs/{current.DeploymentRunId}/approve-apply");
            await Task.Delay(killed is null ? 20 : 150);
        }

        run.Status.Should().Be(PipelineRunStatus.Completed, Logs());
        killed.Should().NotBeNull("a worker was killed while it planned");
        var survivor = workers.Single(w => w != killed);
        var workerPids = workers.Select(w => w.Pid).ToHashSet();
        foreach (var step in run.Steps)
        {
            step.Status.Should().Be(PipelineStepStatus.Completed);
            (await db.ExecuteScalarAsync<int>("SELECT count(*) FROM deployment_runs WHERE deployment_id = @Id", new { Id = step.DeploymentId }))
                .Should().Be(1, "each step started one deployment run");
            var log = await client.GetStringAsync($"/api/v1/deployment-runs/{step.DeploymentRunId}/log");
            var planned = AttemptLine().Matches(log).Select(m => int.Parse(m.Groups["pid"].Value)).ToList();
            var applied = ApplyLine().Matches(log).Select(m => int.Parse(m.Groups["pid"].Value)).ToList();
            planned.Should().NotBeEmpty().And.OnlyContain(pid => workerPids.Contains(pid), "only workers plan, never the api process");
            applied.Should().ContainSingle("a step is applied exactly once").Which.Should().BeOneOf(workerPids);
            log.Should().NotContain(ApiFactory.AppPassword);
            if (step.DeploymentRunId == interrupted)
            {
                // The killed worker's last log lines may die with it; its claim is on the row.
                planned.Last().Should().Be(survivor.Pid, "the plan the killed worker started was done again by the other worker");
                (await db.ExecuteScalarAsync<int>("SELECT attempt FROM deployment_runs WHERE id = @Id", new { Id = interrupted }))
                    .Should().BeGreaterThanOrEqualTo(2, "it was claimed again after its lease ran out");
            }
        }
        api.Log().Should().NotContain("terraform", "the api process starts no engine");
        processes.Should().OnlyContain(p => !p.Log().Contains(ApiFactory.AppPassword), "the database password is never logged");
    }

    private static int PidOf(string workerId) => int.Parse(workerId.Split(':')[1]);

    private string Logs() => string.Join("\n", processes.Select(p => $"--- {p.Name} (pid {p.Pid}) ---\n{Tail(p.Log())}"));

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;

    [GeneratedRegex(@"attempt on worker [^:\s]+:(?<pid>\d+):")]
    private static partial Regex AttemptLine();

    [GeneratedRegex(@"Applying the approved plan .* on worker [^:\s]+:(?<pid>\d+):")]
    private static partial Regex ApplyLine();
}
