using System.Net;
using System.Text;

namespace Amnify.Api.Tests.Http;

/// <summary>
/// Action endpoints as a script calls them (`curl -X POST …/cancel`, no body, no Content-Type), with the SPA
/// served beside the API as in production: its deep-link fallback must not swallow them.
/// </summary>
[Collection(nameof(PlumbingCollection))]
public sealed class BareActionsTests(ApiFactory api)
{
    private HttpClient WithSpa() => api.SpaHost.CreateClient();

    private static readonly string UnknownRun = $"/api/v1/deployment-runs/{Guid.CreateVersion7()}/cancel";

    [Fact]
    public async Task A_bare_POST_reaches_the_action()
    {
        var response = await WithSpa().SendAsync(new HttpRequestMessage(HttpMethod.Post, UnknownRun));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.ReadProblem()).Detail.Should().Contain("does not exist", "the action ran and found no such run");
    }

    [Fact]
    public async Task A_POST_with_an_empty_JSON_object_answers_the_same_as_a_bare_one()
    {
        var response = await WithSpa().PostAsync(UnknownRun, new StringContent("{}", Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.ReadProblem()).Detail.Should().Contain("does not exist");
    }

    [Fact]
    public async Task A_body_of_the_wrong_type_answers_415_naming_JSON()
    {
        var response = await WithSpa().PostAsync(UnknownRun, new StringContent("reason=because", Encoding.UTF8, "text/plain"));

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await response.ReadProblem()).Detail.Should().Contain("application/json");
    }

    [Fact]
    public async Task Deep_links_still_load_the_SPA()
    {
        var response = await WithSpa().GetAsync("/pipelines/some-id");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("<title>Amnify Deploy</title>");
        (await WithSpa().GetAsync("/api/v1/nothing-here")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
