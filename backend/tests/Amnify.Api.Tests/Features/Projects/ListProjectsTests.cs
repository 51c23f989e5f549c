using System.Net;
using Amnify.Api.Features.Projects;
using Amnify.Api.Http;

namespace Amnify.Api.Tests.Features.Projects;

[Collection(nameof(ProjectsCollection))]
public sealed class ListProjectsTests(ApiFactory factory) : ProjectsTestBase(factory)
{
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
