using System.Net;
using Amnify.Api.Features.Pipelines;

namespace Amnify.Api.Tests.Features.Pipelines;

[Collection(nameof(PipelinesCollection))]
public sealed class ReorderPipelineStepsTests(ApiFactory factory) : PipelinesTestBase(factory)
{
    [Fact]
    public async Task Reordering_with_a_stale_etag_answers_412_and_keeps_the_order()
    {
        var (pipeline, _) = await CreatePipeline();
        var a = await client.Deployment("aws", "network");
        var b = await client.Deployment("aws", "application");
        await Add(pipeline.Id, a.Id);
        var (current, etag) = await Add(pipeline.Id, b.Id);
        var reversed = current.Steps.Select(s => s.Id).Reverse().ToArray();

        var ok = await Reorder(pipeline.Id, etag, reversed);
        ok.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ok.Read<Pipeline>()).Steps.Select(s => s.DeploymentId).Should().Equal(b.Id, a.Id);
        ok.Headers.ETag!.ToString().Should().NotBe(etag);

        var stale = await Reorder(pipeline.Id, etag, current.Steps.Select(s => s.Id));
        stale.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        await stale.ReadProblem();
        (await (await client.GetAsync($"/api/v1/pipelines/{pipeline.Id}")).Read<Pipeline>()).Steps.Select(s => s.DeploymentId).Should().Equal(b.Id, a.Id);

        var notAPermutation = await Reorder(pipeline.Id, null, [reversed[0]]);
        notAPermutation.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await notAPermutation.ReadProblem()).Errors.Should().ContainKey("stepIds");
    }
}
