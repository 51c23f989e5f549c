using System.Net;
using Amnify.Api.Engine;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[CollectionDefinition(nameof(PlanDirectoryReuseCollection))]
public sealed class PlanDirectoryReuseCollection : ICollectionFixture<PlanDirectoryHost>;

/// <summary>One API process for the whole class, so the directories it keeps are the ones the tests look at.</summary>
public sealed class PlanDirectoryHost : IAsyncLifetime
{
    private readonly ApiFactory api = new();
    public string WorkDir { get; } = Directory.CreateTempSubdirectory("amnify-plan-dirs-").FullName;
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await api.InitializeAsync();
        Client = api.WithWebHostBuilder(b => b.UseSetting("Engine:WorkDir", WorkDir)).CreateClient();
        await Client.SyncExamples();
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        Directory.Delete(WorkDir, recursive: true);
    }
}

/// <summary>
/// The worker that planned a run applies it in the plan's own directory (no second init), keeps nothing there that
/// holds values while the run waits, and discards the directory once the run can no longer be applied.
/// </summary>
[Collection(nameof(PlanDirectoryReuseCollection))]
public sealed class PlanDirectoryReuseTests(PlanDirectoryHost host)
{
    private readonly HttpClient client = host.Client;
    private readonly string workDir = host.WorkDir;

    [Fact]
    public async Task The_apply_runs_in_the_plans_directory_without_a_second_init_and_reads_its_outputs_from_the_state()
    {
        var deployment = await client.Deployment(template: "database");

        var run = await client.RunThrough(deployment.Id);

        var log = (await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/log")).Split('\n');
        var commands = log.Where(l => l.StartsWith("$ ", StringComparison.Ordinal)).ToArray();
        commands.Should().ContainSingle(c => c.Contains(" init "), "the apply reuses the plan's init");
        log.Should().Contain("In the plan's own directory: already initialised.");
        commands.Should().NotContain(c => c.Contains(" output "), "the outputs come from the state the apply wrote");
        run.Outputs!["endpoint"].Value.GetString().Should().Be("db.aws-db.internal:5432");
        run.Outputs["connection_string"].Sensitive.Should().BeTrue();
        // The worker deletes it right after recording the run's end, which the test may see first.
        (await Eventually(() => !Directory.EnumerateFileSystemEntries(workDir).Any())).Should().BeTrue("the directory goes once the apply is done");
    }

    [Fact]
    public async Task A_kept_directory_holds_no_values_and_goes_when_its_run_is_cancelled()
    {
        var deployment = await client.Deployment(template: "database");
        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);

        var kept = Directory.GetDirectories(workDir).Should().ContainSingle().Subject;
        File.Exists(Path.Combine(kept, "main.tf")).Should().BeTrue();
        Directory.Exists(Path.Combine(kept, ".terraform")).Should().BeTrue();
        File.Exists(Path.Combine(kept, "terraform.tfvars.json")).Should().BeFalse("the variables, sensitive ones too, are not left on disk while the run waits");
        File.Exists(Path.Combine(kept, "plan.tfplan")).Should().BeFalse();

        (await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await Eventually(() => !Directory.Exists(kept))).Should().BeTrue("a cancelled run's directory is discarded");
    }

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (var until = DateTime.UtcNow.AddSeconds(30); !condition(); await Task.Delay(200))
            if (DateTime.UtcNow > until) return false;
        return true;
    }
}
