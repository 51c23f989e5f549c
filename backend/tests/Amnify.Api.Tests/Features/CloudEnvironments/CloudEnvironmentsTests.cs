using System.Net;
using Amnify.Api.Features.CloudEnvironments;
using Amnify.Api.Http;

namespace Amnify.Api.Tests.Features.CloudEnvironments;

[CollectionDefinition(nameof(CloudEnvironmentsCollection))]
public sealed class CloudEnvironmentsCollection : ICollectionFixture<ApiFactory>;

[Collection(nameof(CloudEnvironmentsCollection))]
public sealed class CloudEnvironmentsTests(ApiFactory api)
{
    private readonly HttpClient client = api.CreateClient();

    private async Task<CloudEnvironment> Create(Dictionary<string, string>? credentials = null, string provider = "aws")
    {
        var response = await client.PostJson("/api/v1/cloud-environments", new
        {
            provider,
            name = HttpExtensions.Unique("Prod"),
            region = "eu-west-1",
            accountId = "123456789012",
            credentials = credentials ?? new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "AKIAEXAMPLE" },
        });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return await response.Read<CloudEnvironment>();
    }

    [Fact]
    public async Task Credentials_are_never_returned_only_their_names()
    {
        var secret = $"secret-{Guid.NewGuid():N}";
        var response = await client.PostJson("/api/v1/cloud-environments", new
        {
            provider = "aws", name = HttpExtensions.Unique("Prod"), region = "eu-west-1", accountId = "1234",
            credentials = new Dictionary<string, string> { ["AWS_SECRET_ACCESS_KEY"] = secret, ["AWS_ACCESS_KEY_ID"] = "AKIA" },
        });
        var created = await response.Content.ReadAsStringAsync();
        var environment = await response.Read<CloudEnvironment>();

        environment.CredentialKeys.Should().Equal("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
        created.Should().NotContain(secret);
        (await client.GetStringAsync($"/api/v1/cloud-environments/{environment.Id}")).Should().NotContain(secret);
        (await client.GetStringAsync("/api/v1/cloud-environments?limit=200")).Should().NotContain(secret);
    }

    [Fact]
    public async Task Credentials_are_encrypted_at_rest_the_plaintext_is_in_no_table()
    {
        var secret = $"plain-{Guid.NewGuid():N}";
        await Create(new() { ["ARM_CLIENT_SECRET"] = secret }, "azure");

        (await api.DatabaseContains(secret)).Should().BeFalse();
        (await api.DatabaseContains("ARM_CLIENT_SECRET")).Should().BeTrue("the check must be able to find what is stored");
    }

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

    [Fact]
    public async Task Every_invalid_field_is_reported_at_once_with_credential_keys_named()
    {
        var response = await client.PostJson("/api/v1/cloud-environments", new
        {
            provider = "gcp", name = "", region = "", accountId = new string('a', 201),
            credentials = new Dictionary<string, string?> { ["1BAD"] = "x", ["EMPTY"] = "" },
        });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ReadProblem()).Errors.Should().ContainKeys("name", "region", "accountId", "credentials.1BAD", "credentials.EMPTY");
    }

    [Fact]
    public async Task A_duplicate_name_answers_409()
    {
        var environment = await Create();
        var response = await client.PostJson("/api/v1/cloud-environments",
            new { provider = "aws", name = environment.Name, region = "r", accountId = "a" });

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

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
