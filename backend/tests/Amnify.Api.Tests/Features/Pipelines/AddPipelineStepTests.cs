using System.Net;
using Amnify.Api.Features.Pipelines;

namespace Amnify.Api.Tests.Features.Pipelines;

[Collection(nameof(PipelinesCollection))]
public sealed class AddPipelineStepTests(ApiFactory factory) : PipelinesTestBase(factory)
{
    [Fact]
    public async Task Steps_are_appended_in_add_order_once_each_and_of_the_same_provider()
    {
        var (pipeline, _) = await CreatePipeline();
        var network = await client.Deployment("aws", "network");
        var application = await client.Deployment("aws", "application");
        await Add(pipeline.Id, network.Id);
        var (withTwo, _) = await Add(pipeline.Id, application.Id);

        withTwo.Steps.Select(s => (s.Position, s.DeploymentId)).Should().Equal((1, network.Id), (2, application.Id));
        (await client.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = network.Id })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        var azure = await client.Deployment("azure", "network");
        var otherProvider = await client.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = azure.Id });
        // A reference to a deployment of another provider is a field error, answered like every other one (issue 13: was 422).
        otherProvider.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await otherProvider.ReadProblem();
        problem.Detail.Should().Contain("azure");
        problem.Errors.Should().ContainKey("deploymentId");

        var delete = await client.DeleteAsync($"/api/v1/deployments/{network.Id}");
        delete.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await delete.ReadProblem()).Detail.Should().Contain(pipeline.Name);

        var removal = await client.DeleteAsync($"/api/v1/pipelines/{pipeline.Id}/steps/{withTwo.Steps[0].Id}");
        removal.StatusCode.Should().Be(HttpStatusCode.OK, await removal.Content.ReadAsStringAsync());
        var removed = await removal.Read<Pipeline>();
        removed.Steps.Should().ContainSingle().Which.Position.Should().Be(1);
        (await client.GetAsync($"/api/v1/deployments/{network.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
