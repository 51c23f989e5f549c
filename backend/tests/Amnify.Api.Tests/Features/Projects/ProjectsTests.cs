using System.Net;
using Amnify.Api.Features.Projects;
using Amnify.Api.Http;

namespace Amnify.Api.Tests.Features.Projects;

[CollectionDefinition(nameof(ProjectsCollection))]
public sealed class ProjectsCollection : ICollectionFixture<ApiFactory>;

[Collection(nameof(ProjectsCollection))]
public sealed class ProjectsTests(ApiFactory api)
{
    private readonly HttpClient client = api.CreateClient();

    private async Task<Project> Create(string provider = "aws", string? name = null, string? description = null)
    {
        var response = await client.PostJson("/api/v1/projects", new { provider, name = name ?? HttpExtensions.Unique("Project"), description });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return await response.Read<Project>();
    }

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

    [Theory]
    [InlineData("/api/v1/projects/not-a-guid")]
    [InlineData("/api/v1/projects/01900000-0000-7000-8000-000000000000")]
    public async Task Unknown_ids_answer_404_with_problem_details(string url)
    {
        var response = await client.GetAsync(url);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.ReadProblem()).Detail.Should().NotBeNullOrEmpty();
    }

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

    [Fact]
    public async Task Deleting_a_project_removes_it()
    {
        var project = await Create();

        (await client.DeleteAsync($"/api/v1/projects/{project.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.GetAsync($"/api/v1/projects/{project.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Lists_page_through_every_match_once_in_name_order()
    {
        var marker = Guid.NewGuid().ToString("N")[..10];
        var names = Enumerable.Range(0, 5).Select(i => $"{marker} {(char)('e' - i)}").ToList();
        foreach (var name in names) await Create("azure", name);
        await Create("aws", $"{marker} other provider");

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = $"/api/v1/projects?provider=azure&q={marker.ToUpperInvariant()}&limit=2" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await (await client.GetAsync(url)).Read<Page<Project>>();
            page.Items.Count.Should().BeLessThanOrEqualTo(2);
            seen.AddRange(page.Items.Select(p => p.Name));
            cursor = page.NextCursor;
            pages++;
        } while (cursor is not null);

        seen.Should().Equal(names.Order());
        pages.Should().Be(3);
    }

    [Fact]
    public async Task Search_takes_wildcards_literally()
    {
        await Create(name: HttpExtensions.Unique("plain"));
        var page = await (await client.GetAsync("/api/v1/projects?q=%25")).Read<Page<Project>>();

        page.Items.Should().BeEmpty();
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("provider=mars", "provider")]
    public async Task Bad_list_parameters_answer_400_naming_the_parameter(string query, string field)
    {
        var response = await client.GetAsync($"/api/v1/projects?{query}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ReadProblem()).Errors.Should().ContainKey(field);
    }
}
