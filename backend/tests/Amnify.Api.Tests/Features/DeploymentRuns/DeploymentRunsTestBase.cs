using Amnify.Api.Engine;
using Amnify.Api.Features.DeploymentRuns;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[CollectionDefinition(nameof(DeploymentRunsCollection))]
public sealed class DeploymentRunsCollection : ICollectionFixture<ApiFactory>;

/// <summary>Runs on the real Terraform CLI, with state in the test's PostgreSQL database.</summary>
/// <summary>What the DeploymentRuns use-case tests share: one database per area (the collection), a client and helpers.</summary>
public abstract class DeploymentRunsTestBase(ApiFactory api) : IAsyncLifetime
{
    protected readonly ApiFactory api = api;

    protected readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    protected async Task<DeploymentRun> WaitForFinal(Guid runId)
    {
        for (var i = 0; i < 600; i++)
        {
            var run = await client.Run(runId);
            if (run.Status.IsTerminal()) return run;
            await Task.Delay(150);
        }
        throw new TimeoutException($"Run {runId} did not finish.");
    }
}
