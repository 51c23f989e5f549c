using System.Net;
using Amnify.Api.Features.Projects;

namespace Amnify.Api.Tests.Features.Projects;

[Collection(nameof(ProjectsCollection))]
public sealed class UpdateProjectTests(ApiFactory factory) : ProjectsTestBase(factory)
{
    [Fact]
    public async Task Patch_changes_only_the_fields_given()
    {
        var project = await Create(description: "before");
        var response = await client.PatchJson($"/api/v1/projects/{project.Id}", new { description = "after" });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var updated = await response.Read<Project>();
        updated.Name.Should().Be(project.Name);
        updated.Description.Should().Be("after");
        updated.UpdatedAt.Should().BeAfter(project.UpdatedAt);
    }

    [Fact]
    public async Task Renaming_onto_another_projects_name_answers_409_and_keeps_both()
    {
        var first = await Create("aws");
        var second = await Create("aws");

        var response = await client.PatchJson($"/api/v1/projects/{second.Id}", new { name = first.Name });

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await (await client.GetAsync($"/api/v1/projects/{second.Id}")).Read<Project>()).Name.Should().Be(second.Name);
    }

    [Fact]
    public async Task Patch_refuses_an_empty_name()
    {
        var project = await Create();
        var response = await client.PatchJson($"/api/v1/projects/{project.Id}", new { name = "" });

        (await response.ReadProblem()).Errors.Should().ContainKey("name");
    }

    [Fact]
    public async Task Patching_or_deleting_an_unknown_project_answers_404()
    {
        var id = Guid.CreateVersion7();
        (await client.PatchJson($"/api/v1/projects/{id}", new { name = "x" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.DeleteAsync($"/api/v1/projects/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
