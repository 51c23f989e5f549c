using System.Net;

namespace Amnify.Api.Tests.Features.Projects;

[Collection(nameof(ProjectsCollection))]
public sealed class DeleteProjectTests(ApiFactory factory) : ProjectsTestBase(factory)
{
    [Fact]
    public async Task Deleting_a_project_removes_it()
    {
        var project = await Create();

        (await client.DeleteAsync($"/api/v1/projects/{project.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.GetAsync($"/api/v1/projects/{project.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
