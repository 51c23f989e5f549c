using System.Net;
using Amnify.Api.Features.Projects;
using Amnify.Api.Http;

namespace Amnify.Api.Tests.Features.Projects;

[Collection(nameof(ProjectsCollection))]
public sealed class CreateProjectTests(ApiFactory factory) : ProjectsTestBase(factory)
{
    [Fact]
    public async Task Creating_a_project_answers_201_with_its_location_and_trimmed_fields()
    {
        var name = HttpExtensions.Unique("Core platform");
        var response = await client.PostJson("/api/v1/projects",
            new { provider = "azure", name = $"  {name}  ", description = "Networks", tags = new[] { "prod", "prod", " team-a " } });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var project = await response.Read<Project>();
        response.Headers.Location!.ToString().Should().Be($"/api/v1/projects/{project.Id}");
        project.Name.Should().Be(name);
        project.Tags.Should().Equal("prod", "team-a");
        (await client.GetAsync(response.Headers.Location)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ids_are_uuid_v7_so_they_sort_by_creation()
    {
        var project = await Create();
        project.Id.Version.Should().Be(7);
    }

    [Fact]
    public async Task A_duplicate_name_in_the_same_provider_answers_409_whatever_the_case()
    {
        var project = await Create("gcp");
        var response = await client.PostJson("/api/v1/projects", new { provider = "gcp", name = project.Name.ToUpperInvariant() });

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.ReadProblem()).Detail.Should().Contain("already exists");
    }

    [Fact]
    public async Task The_same_name_is_allowed_in_another_provider()
    {
        var project = await Create("aws");
        (await client.PostJson("/api/v1/projects", new { provider = "gcp", name = project.Name })).StatusCode
            .Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Every_invalid_field_is_reported_at_once()
    {
        var response = await client.PostJson("/api/v1/projects",
            new { name = "  ", description = new string('x', 2001), tags = new[] { "" } });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.ReadProblem();
        problem.Errors.Should().ContainKeys("provider", "name", "description", "tags[0]");
    }

    [Fact]
    public async Task An_oversized_name_is_refused_with_its_limit()
    {
        var response = await client.PostJson("/api/v1/projects", new { provider = "aws", name = new string('n', 201) });

        (await response.ReadProblem()).Errors!["name"].Should().ContainSingle().Which.Should().Contain("200");
    }

    [Theory]
    [InlineData("""{"provider":"aws","name":""", "body")]
    [InlineData("""{"provider":"aws","name":42}""", "name")]
    [InlineData("""{"provider":"mars","name":"x"}""", "provider")]
    [InlineData("""{"provider":"aws","name":"x","colour":"red"}""", "colour")]
    [InlineData("""{"provider":"aws","name":"x","tags":"a"}""", "tags")]
    public async Task Unreadable_bodies_answer_400_naming_the_field(string json, string field)
    {
        var response = await client.PostRaw("/api/v1/projects", json);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ReadProblem()).Errors.Should().ContainKey(field);
    }

    [Fact]
    public async Task A_body_that_is_not_json_answers_415()
    {
        var response = await client.PostAsync("/api/v1/projects", new StringContent("name=x"));

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        await response.ReadProblem();
    }

    [Fact]
    public async Task An_oversized_body_answers_413()
    {
        var response = await client.PostRaw("/api/v1/projects",
            $$"""{"provider":"aws","name":"x","description":"{{new string('d', (int)HttpPlumbing.MaxRequestBodyBytes)}}"}""");

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        await response.ReadProblem();
    }
}
