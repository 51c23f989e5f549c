using System.Net;

namespace Amnify.Api.Tests.Features.Projects;

[Collection(nameof(ProjectsCollection))]
public sealed class GetProjectTests(ApiFactory factory) : ProjectsTestBase(factory)
{
    [Theory]
    [InlineData("/api/v1/projects/not-a-guid")]
    [InlineData("/api/v1/projects/01900000-0000-7000-8000-000000000000")]
    public async Task Unknown_ids_answer_404_with_problem_details(string url)
    {
        var response = await client.GetAsync(url);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.ReadProblem()).Detail.Should().NotBeNullOrEmpty();
    }
}
