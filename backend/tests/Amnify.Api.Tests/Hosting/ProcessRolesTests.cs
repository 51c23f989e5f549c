using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Http;

namespace Amnify.Api.Tests.Hosting;

/// <summary>
/// `--role api` serves HTTP and never runs the engine; `--role worker` runs the engine and answers only its
/// health probes. Each test has a database of its own, so no other engine can pick up its runs.
/// </summary>
public sealed class ProcessRolesTests : IAsyncLifetime
{
    private readonly ApiFactory database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> As(string role) =>
        database.WithWebHostBuilder(b => b.UseSetting("role", role));

    [Fact]
    public async Task A_worker_answers_only_health_and_readiness()
    {
        await using var worker = As("worker");
        var client = worker.CreateClient();

        (await client.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await (await client.GetAsync("/readyz")).Read<Health>()).Status.Should().Be("ready");
        foreach (var path in new[] { "/api/v1/projects", "/api/v1/providers", "/swagger/v1/swagger.yaml", "/", "/pipelines" })
        {
            var response = await client.GetAsync(path);
            response.StatusCode.Should().Be(HttpStatusCode.NotFound, path);
            (await response.ReadProblem()).Status.Should().Be(404);
        }
        (await client.PostEmpty("/api/v1/templates/sync")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_api_process_queues_runs_and_a_worker_process_runs_them()
    {
        await using var apiOnly = As("api");
        var client = apiOnly.CreateClient();
        await client.SyncExamples();
        var deployment = await client.Deployment();
        var run = await client.Trigger(deployment.Id);

        // Nothing in the api process claims it: it stays queued until a worker exists.
        await Task.Delay(TimeSpan.FromSeconds(3));
        (await client.Run(run.Id)).Status.Should().Be(RunStatus.Queued);

        await using var worker = As("worker");
        _ = worker.Services; // starts the worker host
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await client.Approve(run.Id, "approve-plan");
        await client.Approve(run.Id, "approve-apply");
        await client.WaitFor(run.Id, RunStatus.Completed);
    }
}
