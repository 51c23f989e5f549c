using System.Net;
using Amnify.Api.Features.Projects;

namespace Amnify.Api.Tests.Features.Projects;

[CollectionDefinition(nameof(ProjectsCollection))]
public sealed class ProjectsCollection : ICollectionFixture<ApiFactory>;

/// <summary>What the Projects use-case tests share: one database per area (the collection), a client and helpers.</summary>
public abstract class ProjectsTestBase(ApiFactory api)
{
    protected readonly ApiFactory api = api;

    protected readonly HttpClient client = api.CreateClient();

    protected async Task<Project> Create(string provider = "aws", string? name = null, string? description = null)
    {
        var response = await client.PostJson("/api/v1/projects", new { provider, name = name ?? HttpExtensions.Unique("Project"), description });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return await response.Read<Project>();
    }
}
