using System.Net;
using Amnify.Api.Features.CloudEnvironments;

namespace Amnify.Api.Tests.Features.CloudEnvironments;

[CollectionDefinition(nameof(CloudEnvironmentsCollection))]
public sealed class CloudEnvironmentsCollection : ICollectionFixture<ApiFactory>;

/// <summary>What the CloudEnvironments use-case tests share: one database per area (the collection), a client and helpers.</summary>
public abstract class CloudEnvironmentsTestBase(ApiFactory api)
{
    protected readonly ApiFactory api = api;

    protected readonly HttpClient client = api.CreateClient();

    protected async Task<CloudEnvironment> Create(Dictionary<string, string>? credentials = null, string provider = "aws")
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
}
