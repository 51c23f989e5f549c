using Amnify.Api.Features.Deployments;
using Amnify.Api.Http;

namespace Amnify.Api.Tests.Features.Deployments;

[Collection(nameof(DeploymentsCollection))]
public sealed class ListDeploymentsTests(ApiFactory factory) : DeploymentsTestBase(factory)
{
    [Fact]
    public async Task Lists_filter_by_project_and_search_the_name()
    {
        var first = await client.Deployment("azure");
        await client.Deployment("azure");

        var byProject = await (await client.GetAsync($"/api/v1/deployments?projectId={first.ProjectId}")).Read<Page<Deployment>>();
        byProject.Items.Should().ContainSingle().Which.Id.Should().Be(first.Id);

        var bySearch = await (await client.GetAsync($"/api/v1/deployments?provider=azure&q={first.Name[^8..]}")).Read<Page<Deployment>>();
        bySearch.Items.Should().ContainSingle().Which.Id.Should().Be(first.Id);
    }
}
