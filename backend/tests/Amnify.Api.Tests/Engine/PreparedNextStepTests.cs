using System.Net;
using Amnify.Api.Engine;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Amnify.Api.Tests.Engine;

[CollectionDefinition(nameof(PreparedNextStepCollection))]
public sealed class PreparedNextStepCollection : ICollectionFixture<PreparedNextStepHost>;

/// <summary>One API process for the whole class, so the directories it prepares are the ones the tests look at.</summary>
public sealed class PreparedNextStepHost : IAsyncLifetime
{
    private readonly ApiFactory api = new();
    public string WorkDir { get; } = Directory.CreateTempSubdirectory("amnify-prepared-dirs-").FullName;
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
/// While a pipeline step waits for approval or applies, the worker prepares the next step's directory (files and init),
/// so that step starts at plan; its variables are still written at plan time, and nothing prepared outlives its pipeline run.
/// </summary>
[Collection(nameof(PreparedNextStepCollection))]
public sealed class PreparedNextStepTests(PreparedNextStepHost host)
{
    private const string Prepared = "Prepared while the previous step ran: already initialised.";

    private readonly HttpClient client = host.Client;
    private readonly string workDir = host.WorkDir;

    [Fact]
    public async Task Later_steps_start_at_plan_in_the_directory_prepared_while_the_previous_step_ran()
    {
        var (pipeline, _) = await client.Pipeline(
            (await client.Deployment()).Id, (await client.Deployment()).Id, (await client.Deployment()).Id);

        var run = await client.ApproveUntilDone((await client.StartPipeline(pipeline.Id)).Id);

        run.Status.Should().Be(PipelineRunStatus.Completed);
        var logs = await Task.WhenAll(run.Steps.Select(s => Log(s.DeploymentRunId!.Value)));
        logs[0].Should().NotContain(Prepared, "nothing ran before the first step");
        foreach (var log in logs[1..])
        {
            log.Should().Contain(Prepared);
            log.Where(l => l.StartsWith("$ ", StringComparison.Ordinal)).Should().ContainSingle(c => c.Contains(" init "),
                "the prepared init's transcript is the step's only init");
            Array.IndexOf(log, Prepared).Should().BeLessThan(Array.FindIndex(log, l => l.StartsWith("$ ", StringComparison.Ordinal) && l.Contains(" plan ")));
        }
    }

    [Fact]
    public async Task A_prepared_step_wired_to_the_previous_steps_output_still_plans_with_its_value()
    {
        var network = await client.Deployment(template: "network");
        var database = await client.Deployment(template: "database");
        var (pipeline, _) = await client.Pipeline(network.Id, database.Id);
        await client.Wire(pipeline.Id, pipeline.Steps[1].Id, new { variable = "vpc_id", fromStepId = pipeline.Steps[0].Id, output = "vpc_id" });

        var run = await client.ApproveUntilDone((await client.StartPipeline(pipeline.Id)).Id);

        run.Status.Should().Be(PipelineRunStatus.Completed);
        var vpcId = (await client.Run(run.Steps[0].DeploymentRunId!.Value)).Outputs!["vpc_id"].Value.GetString();
        vpcId.Should().StartWith("aws-net-");
        var databaseLog = await Log(run.Steps[1].DeploymentRunId!.Value);
        databaseLog.Should().Contain(Prepared);
        databaseLog.Should().Contain(l => l.Contains("vpc_id") && l.Contains($"\"{vpcId}\""), "the variable is written when the step plans, from step 1's output");
    }

    [Fact]
    public async Task A_cancelled_pipeline_run_leaves_no_prepared_directory_behind()
    {
        var (pipeline, _) = await client.Pipeline(
            (await client.Deployment()).Id, (await client.Deployment()).Id, (await client.Deployment()).Id);
        var started = await client.StartPipeline(pipeline.Id);
        var first = await Eventually(async () => (await client.PipelineRun(started.Id)).Steps[0].DeploymentRunId);
        await client.WaitFor(first!.Value, RunStatus.AwaitingPlanApproval);

        // Named for the pipeline run it was made for; the first step's own kept directory is named for its run.
        string[] PreparedDirectories() => Directory.GetDirectories(workDir, $"{started.Id:N}-*");
        (await Eventually(() => Task.FromResult<bool?>(PreparedDirectories().Any(d => Directory.Exists(Path.Combine(d, ".terraform"))) ? true : null)))
            .Should().BeTrue("the next step is prepared while the first waits for approval");
        var prepared = PreparedDirectories().Should().ContainSingle().Subject;
        File.Exists(Path.Combine(prepared, "terraform.tfvars.json")).Should().BeFalse("variables are written at plan time, never prepared");

        (await client.PostEmpty($"/api/v1/pipeline-runs/{started.Id}/cancel")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await Eventually(() => Task.FromResult<bool?>(Directory.Exists(prepared) ? null : true))).Should().BeTrue("a cancelled pipeline run's prepared directory is discarded");
    }

    private async Task<string[]> Log(Guid runId) => (await client.GetStringAsync($"/api/v1/deployment-runs/{runId}/log")).Split('\n');

    private static async Task<T?> Eventually<T>(Func<Task<T?>> value) where T : struct
    {
        for (var until = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < until; await Task.Delay(200))
            if (await value() is { } found) return found;
        return null;
    }
}
