using System.Net;
using Amnify.Api.Features.CloudEnvironments;
using Amnify.Api.Http;

namespace Amnify.Api.Tests.Features.CloudEnvironments;

[Collection(nameof(CloudEnvironmentsCollection))]
public sealed class ListCloudEnvironmentsTests(ApiFactory factory) : CloudEnvironmentsTestBase(factory)
{
    [Fact]
    public async Task Lists_filter_by_provider_and_delete_removes()
    {
        var gcp = await Create(provider: "gcp");
        var aws = await Create(provider: "aws");

        var page = await (await client.GetAsync("/api/v1/cloud-environments?provider=gcp&limit=200")).Read<Page<CloudEnvironment>>();
        page.Items.Select(e => e.Id).Should().Contain(gcp.Id).And.NotContain(aws.Id);

        (await client.DeleteAsync($"/api/v1/cloud-environments/{gcp.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.GetAsync($"/api/v1/cloud-environments/{gcp.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
