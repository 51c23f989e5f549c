using System.Net;

namespace Amnify.Api.Tests.Features.Deployments;

[Collection(nameof(DeploymentsCollection))]
public sealed class DeleteDeploymentTests(ApiFactory factory) : DeploymentsTestBase(factory)
{
    [Fact]
    public async Task A_deployment_with_infrastructure_cannot_be_deleted_and_one_without_can()
    {
        var deployment = await client.Deployment();
        await using (var db = await api.OpenDatabase())
            await Dapper.SqlMapper.ExecuteAsync(db, "UPDATE deployments SET has_infrastructure = true WHERE id = @id", new { id = deployment.Id });

        var refused = await client.DeleteAsync($"/api/v1/deployments/{deployment.Id}");
        refused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await refused.ReadProblem()).Detail.Should().Contain("destroy");

        var other = await client.Deployment();
        (await client.DeleteAsync($"/api/v1/deployments/{other.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_project_or_cloud_environment_in_use_cannot_be_deleted()
    {
        var deployment = await client.Deployment();

        (await client.DeleteAsync($"/api/v1/projects/{deployment.ProjectId}")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await client.DeleteAsync($"/api/v1/cloud-environments/{deployment.CloudEnvironmentId}")).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }
}
