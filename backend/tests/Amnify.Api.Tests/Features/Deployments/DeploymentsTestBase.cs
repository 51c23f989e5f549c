namespace Amnify.Api.Tests.Features.Deployments;

[CollectionDefinition(nameof(DeploymentsCollection))]
public sealed class DeploymentsCollection : ICollectionFixture<ApiFactory>;

/// <summary>What the Deployments use-case tests share: one database per area (the collection), a client and helpers.</summary>
public abstract class DeploymentsTestBase(ApiFactory api) : IAsyncLifetime
{
    protected readonly ApiFactory api = api;

    protected readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    protected async Task<HttpResponseMessage> Create(string provider, string template, object variables, Guid? environmentId = null, Guid? projectId = null)
    {
        projectId ??= (await client.Project(provider)).Id;
        environmentId ??= (await client.Environment(provider, "eu-north-1")).Id;
        return await client.PostJson("/api/v1/deployments", new
        {
            projectId, templateId = $"{provider}-{template}", cloudEnvironmentId = environmentId,
            name = HttpExtensions.Unique("dep"), variables, tags = new[] { "team-a" },
        });
    }
}
