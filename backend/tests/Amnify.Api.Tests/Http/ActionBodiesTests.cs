using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Amnify.Api.Tests.Http;

/// <summary>
/// Every action endpoint as a script sends it, byte for byte (no client library filling in a body or a Content-Type),
/// with the SPA served beside the API as in production: a bare POST is answered as `{}` is, a body that is not JSON is
/// a 415 naming JSON, and nothing is a routing 404.
/// </summary>
[Collection(nameof(PlumbingCollection))]
public sealed class ActionBodiesTests(ApiFactory api)
{
    private HttpClient WithSpa() => api.SpaHost.CreateClient();

    private static readonly Guid Unknown = Guid.CreateVersion7();

    public static TheoryData<string> Actions() =>
    [
        $"/api/v1/deployment-runs/{Unknown}/cancel",
        $"/api/v1/deployment-runs/{Unknown}/approve-plan",
        $"/api/v1/deployment-runs/{Unknown}/approve-apply",
        $"/api/v1/pipeline-runs/{Unknown}/cancel",
        $"/api/v1/pipelines/{Unknown}/runs",
        $"/api/v1/deployments/{Unknown}/runs",
    ];

    private async Task<(HttpStatusCode Status, string Body)> Send(string path, HttpContent? content)
    {
        var response = await WithSpa().SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = content });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A problem as a comparable text, without the trace id that differs per request.</summary>
    private static string WithoutTraceId(string problem)
    {
        var json = JsonNode.Parse(problem)!.AsObject();
        json.Remove("traceId");
        return json.ToJsonString();
    }

    private static ByteArrayContent Raw(string body, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task A_bare_POST_answers_what_a_POST_of_an_empty_object_answers(string action)
    {
        var bare = await Send(action, null);
        var empty = await Send(action, Raw("{}", "application/json"));

        bare.Status.Should().Be(empty.Status);
        WithoutTraceId(bare.Body).Should().Be(WithoutTraceId(empty.Body));
        bare.Body.Should().NotContain("No endpoint").And.NotContain("Nothing at", "the action itself answered, not routing");
        bare.Status.Should().BeOneOf(HttpStatusCode.NotFound, HttpStatusCode.BadRequest);
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task A_text_body_answers_415_naming_JSON(string action)
    {
        var (status, body) = await Send(action, Raw("reason=because", "text/plain"));

        status.Should().Be(HttpStatusCode.UnsupportedMediaType);
        body.Should().Contain("application/json");
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task A_form_post_answers_415_naming_JSON(string action)
    {
        var (status, body) = await Send(action, new FormUrlEncodedContent([new("reason", "because")]));

        status.Should().Be(HttpStatusCode.UnsupportedMediaType);
        body.Should().Contain("application/json");
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task A_body_without_a_Content_Type_answers_415(string action)
    {
        var (status, _) = await Send(action, Raw("{}", null));

        status.Should().Be(HttpStatusCode.UnsupportedMediaType);
    }
}
