using System.Net;
using Amnify.Api.Features.CloudEnvironments;

namespace Amnify.Api.Tests.Features.CloudEnvironments;

[Collection(nameof(CloudEnvironmentsCollection))]
public sealed class UpdateCloudEnvironmentTests(ApiFactory factory) : CloudEnvironmentsTestBase(factory)
{
    [Fact]
    public async Task Patch_sets_removes_and_keeps_credentials_key_by_key()
    {
        var environment = await Create(new() { ["A_KEY"] = "a", ["B_KEY"] = "b", ["C_KEY"] = "c" });

        var response = await client.PatchJson($"/api/v1/cloud-environments/{environment.Id}",
            new { region = "us-east-1", credentials = new Dictionary<string, string?> { ["A_KEY"] = "a2", ["B_KEY"] = null, ["D_KEY"] = "d" } });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var updated = await response.Read<CloudEnvironment>();
        updated.Region.Should().Be("us-east-1");
        updated.Name.Should().Be(environment.Name);
        updated.CredentialKeys.Should().Equal("A_KEY", "C_KEY", "D_KEY");
    }

    [Fact]
    public async Task Patch_without_credentials_keeps_them()
    {
        var environment = await Create(new() { ["A_KEY"] = "a" });

        var updated = await (await client.PatchJson($"/api/v1/cloud-environments/{environment.Id}", new { name = HttpExtensions.Unique("Renamed") }))
            .Read<CloudEnvironment>();

        updated.CredentialKeys.Should().Equal("A_KEY");
    }
}
