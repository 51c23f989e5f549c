using System.Net;
using Amnify.Api.Features.CloudEnvironments;

namespace Amnify.Api.Tests.Features.CloudEnvironments;

[Collection(nameof(CloudEnvironmentsCollection))]
public sealed class CreateCloudEnvironmentTests(ApiFactory factory) : CloudEnvironmentsTestBase(factory)
{
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
}
