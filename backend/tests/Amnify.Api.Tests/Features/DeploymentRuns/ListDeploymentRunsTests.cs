using Amnify.Api.Features.DeploymentRuns;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[Collection(nameof(DeploymentRunsCollection))]
public sealed class ListDeploymentRunsTests(ApiFactory factory) : DeploymentRunsTestBase(factory)
{
    [Fact]
    public async Task Run_history_is_newest_first_and_paginates()
    {
        var deployment = await client.Deployment("aws", "application");
        var runs = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var run = await client.Trigger(deployment.Id);
            runs.Add(run.Id);
            await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
        }

        var first = await (await client.GetAsync($"/api/v1/deployments/{deployment.Id}/runs?limit=2")).Read<Amnify.Api.Http.Page<DeploymentRun>>();
        var second = await (await client.GetAsync($"/api/v1/deployments/{deployment.Id}/runs?limit=2&cursor={first.NextCursor}")).Read<Amnify.Api.Http.Page<DeploymentRun>>();

        first.Items.Concat(second.Items).Select(r => r.Id).Should().Equal(Enumerable.Reverse(runs));
        second.NextCursor.Should().BeNull();
    }
}
