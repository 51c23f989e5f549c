using System.Net;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Features.Pipelines;

namespace Amnify.Api.Tests.Features.Deployments;

[CollectionDefinition(nameof(GetDeploymentCollection))]
public sealed class GetDeploymentCollection : ICollectionFixture<ApiFactory>;

[Collection(nameof(GetDeploymentCollection))]
public sealed class GetDeploymentTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Deployment> Get(Guid id) => await (await client.GetAsync($"/api/v1/deployments/{id}")).Read<Deployment>();

    [Fact]
    public async Task A_deployment_lists_the_pipelines_it_is_a_step_of()
    {
        var deployment = await client.Deployment("aws", "network");
        var pipelines = new List<Pipeline>();
        foreach (var name in new[] { "B rollout", "A rollout" })
        {
            var pipeline = await (await client.PostJson("/api/v1/pipelines", new { provider = "aws", name = HttpExtensions.Unique(name) })).Read<Pipeline>();
            (await client.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = deployment.Id })).StatusCode.Should().Be(HttpStatusCode.Created);
            pipelines.Add(pipeline);
        }

        var read = await Get(deployment.Id);

        read.Pipelines!.Select(p => (p.Id, p.Name)).Should().Equal((pipelines[1].Id, pipelines[1].Name), (pipelines[0].Id, pipelines[0].Name));
    }

    [Fact]
    public async Task A_deployment_in_no_pipeline_lists_none()
    {
        var deployment = await client.Deployment("aws", "network");

        (await Get(deployment.Id)).Pipelines.Should().BeEmpty();
    }

    [Fact]
    public async Task Changing_a_variable_after_an_apply_marks_the_changes_not_applied_until_the_next_apply()
    {
        var deployment = await client.Deployment("aws", "network");
        (await Get(deployment.Id)).ChangesNotApplied.Should().BeFalse("nothing was ever applied");
        await client.RunThrough(deployment.Id);
        (await Get(deployment.Id)).ChangesNotApplied.Should().BeFalse();

        (await client.PatchJson($"/api/v1/deployments/{deployment.Id}", new { variables = new { name = "net-renamed" } })).EnsureSuccessStatusCode();
        var changed = await Get(deployment.Id);
        changed.ChangesNotApplied.Should().BeTrue();
        changed.Status.Should().Be(DeploymentStatus.Deployed);

        await client.RunThrough(deployment.Id);
        (await Get(deployment.Id)).ChangesNotApplied.Should().BeFalse();
    }

    [Fact]
    public async Task Editing_only_the_description_leaves_the_applied_variables_applied()
    {
        var deployment = await client.Deployment("aws", "network");
        await client.RunThrough(deployment.Id);

        (await client.PatchJson($"/api/v1/deployments/{deployment.Id}", new { description = "now described" })).EnsureSuccessStatusCode();

        (await Get(deployment.Id)).ChangesNotApplied.Should().BeFalse();
    }
}
