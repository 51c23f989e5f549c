using System.Net;
using Amnify.Api.Features.Pipelines;
using Amnify.Api.Http;

namespace Amnify.Api.Tests.Features.Pipelines;

[Collection(nameof(PipelinesCollection))]
public sealed class CreatePipelineTests(ApiFactory factory) : PipelinesTestBase(factory)
{
    [Fact]
    public async Task A_pipeline_is_created_empty_and_names_are_unique_per_provider()
    {
        var (pipeline, etag) = await CreatePipeline("gcp");
        pipeline.Steps.Should().BeEmpty();
        etag.Should().Be($"\"{pipeline.Version}\"");

        var duplicate = await client.PostJson("/api/v1/pipelines", new { provider = "gcp", name = pipeline.Name.ToUpperInvariant() });
        duplicate.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var invalid = await client.PostJson("/api/v1/pipelines", new { provider = "gcp", name = " ", description = new string('d', 2001) });
        (await invalid.ReadProblem()).Errors.Should().ContainKeys("name", "description");

        var listed = await (await client.GetAsync($"/api/v1/pipelines?provider=gcp&q={pipeline.Name}")).Read<Page<PipelineSummary>>();
        listed.Items.Should().ContainSingle().Which.StepCount.Should().Be(0);
    }
}
