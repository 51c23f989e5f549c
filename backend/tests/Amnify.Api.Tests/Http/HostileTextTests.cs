using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Amnify.Api.Tests.Http;

[CollectionDefinition(nameof(HostileTextCollection))]
public sealed class HostileTextCollection : ICollectionFixture<ApiFactory>;

/// <summary>Text PostgreSQL cannot store and positions the server never made: each answers 400 naming the field, never 500.</summary>
[Collection(nameof(HostileTextCollection))]
public sealed class HostileTextTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task ShouldNameField(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, body);
        var problem = await response.ReadProblem();
        problem.Errors.Should().ContainKey(field, body);
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string url, string? json = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, url);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return client.SendAsync(request);
    }

    [Theory]
    [InlineData("/api/v1/projects", """{"provider":"aws","name":"a\u0000b"}""", "name")]
    [InlineData("/api/v1/projects", """{"provider":"aws","name":"ok","description":"\u0000"}""", "description")]
    [InlineData("/api/v1/projects", """{"provider":"aws","name":"ok","tags":["fine","bad\u0000"]}""", "tags[1]")]
    [InlineData("/api/v1/pipelines", """{"provider":"aws","name":"x\u0000"}""", "name")]
    [InlineData("/api/v1/cloud-environments",
        """{"provider":"aws","name":"e","region":"r","accountId":"1","credentials":{"TOKEN":"v\u0000"}}""", "credentials.TOKEN")]
    [InlineData("/api/v1/users", """{"email":"u@x.test","displayName":"\u0000","role":"viewer","password":"correct-horse-battery"}""", "displayName")]
    public async Task A_nul_in_a_body_field_answers_400_naming_it(string url, string json, string field)
    {
        await ShouldNameField(await Send(HttpMethod.Post, url, json), field);
    }

    [Fact]
    public async Task A_nul_anywhere_in_a_deployment_variable_answers_400_naming_the_variable()
    {
        var project = await client.Project();
        var environment = await client.Environment();
        foreach (var value in new[] { "\"a\\u0000\"", "[{\"x\":\"\\u0000\"}]", "{\"k\\u0000\":1}", "\"\\uD800\"" })
        {
            var json = $$$"""
                {"projectId":"{{{project.Id}}}","templateId":"aws-network","cloudEnvironmentId":"{{{environment.Id}}}",
                 "name":"{{{HttpExtensions.Unique("nul")}}}","variables":{"name":{{{value}}}}}
                """;
            await ShouldNameField(await Send(HttpMethod.Post, "/api/v1/deployments", json), "variables.name");
        }
    }

    [Fact]
    public async Task A_nul_in_a_patch_answers_400_and_changes_nothing()
    {
        var project = await client.Project();

        await ShouldNameField(await Send(HttpMethod.Patch, $"/api/v1/projects/{project.Id}", """{"description":"x\u0000"}"""), "description");

        var after = await (await client.GetAsync($"/api/v1/projects/{project.Id}")).Read<Amnify.Api.Features.Projects.Project>();
        after.Description.Should().Be(project.Description);
    }

    [Theory]
    [InlineData("/api/v1/projects?q=a%00b", "q")]
    [InlineData("/api/v1/deployments?q=%00", "q")]
    [InlineData("/api/v1/templates?q=x%00", "q")]
    [InlineData("/api/v1/pipelines?q=%00&provider=aws", "q")]
    [InlineData("/api/v1/cloud-environments?q=%00", "q")]
    [InlineData("/api/v1/audit-events?actor=admin%00", "actor")]
    [InlineData("/api/v1/audit-events?resourceId=%00", "resourceId")]
    [InlineData("/api/v1/deployments?templateId=aws%00", "templateId")]
    [InlineData("/api/v1/projects?cursor=%00", "cursor")]
    public async Task A_nul_in_a_query_value_answers_400_naming_it(string url, string field)
    {
        await ShouldNameField(await client.GetAsync(url), field);
    }

    [Fact]
    public async Task A_nul_in_a_header_answers_400_naming_it()
    {
        var pipeline = Guid.NewGuid();
        await ShouldNameField(await Send(HttpMethod.Post, $"/api/v1/pipelines/{pipeline}/runs", null, ("Idempotency-Key", "k\0")), "Idempotency-Key");
        await ShouldNameField(await Send(HttpMethod.Patch, $"/api/v1/pipelines/{pipeline}", """{"name":"x"}""", ("If-Match", "\"a\0\"")), "If-Match");
        await ShouldNameField(await Send(HttpMethod.Get, "/api/v1/projects", null, ("X-Anything", "\0")), "X-Anything");
    }

    [Theory]
    [InlineData("""{"email":"admin\u0000@example.test","password":"whatever-password"}""", "email")]
    [InlineData("""{"email":"admin@example.test","password":"pass\u0000word-long"}""", "password")]
    public async Task A_nul_in_an_anonymous_sign_in_answers_400_naming_the_field(string json, string field)
    {
        var anonymous = api.CreateAnonymousClient();

        await ShouldNameField(await anonymous.PostRaw("/api/v1/auth/login", json), field);
    }

    private static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    public static TheoryData<string> MalformedCursors => new()
    {
        $"/api/v1/deployments/{Guid.NewGuid()}/runs?cursor=12:00",
        $"/api/v1/deployments/{Guid.NewGuid()}/runs?cursor={Encode($$"""{"Key":"12:00","Id":"{{Guid.NewGuid()}}"}""")}",
        $"/api/v1/deployments/{Guid.NewGuid()}/runs?cursor={Encode($$"""{"Key":"2026-12-01","Id":"{{Guid.NewGuid()}}"}""")}",
        $"/api/v1/pipelines/{Guid.NewGuid()}/runs?cursor={Encode($$"""{"Key":"99999999999","Id":"{{Guid.NewGuid()}}"}""")}",
        $"/api/v1/pipelines/{Guid.NewGuid()}/runs?cursor={Encode($$"""{"Key":"-1e3","Id":"{{Guid.NewGuid()}}"}""")}",
        $"/api/v1/projects?cursor={Encode($$"""{"Key":"a\u0000","Id":"{{Guid.NewGuid()}}"}""")}",
        $"/api/v1/projects?cursor={Encode("""{"Key":"a","Id":"not-a-guid"}""")}",
        $"/api/v1/projects?cursor={Encode("""{"Key":"\ud800","Id":"x"}""")}",
        $"/api/v1/templates?cursor={Encode("""{"Key":"a","Id":"t\u0000"}""")}",
        $"/api/v1/templates?cursor={Encode("[1,2]")}",
        $"/api/v1/audit-events?cursor={Encode($$"""{"Key":"x","Id":"{{Guid.NewGuid()}}"}""")}",
        "/api/v1/deployments?cursor=%F0%9F%98%80",
    };

    [Theory]
    [MemberData(nameof(MalformedCursors))]
    public async Task A_cursor_the_server_did_not_make_answers_400_naming_cursor(string url)
    {
        await ShouldNameField(await client.GetAsync(url), "cursor");
    }

    [Fact]
    public async Task A_real_run_list_cursor_still_pages()
    {
        var deployment = await client.Deployment();
        for (var i = 0; i < 2; i++)
            (await client.PostJson($"/api/v1/deployments/{deployment.Id}/runs", new { operation = "execute" })).StatusCode
                .Should().Be(HttpStatusCode.Accepted);

        var first = await (await client.GetAsync($"/api/v1/deployments/{deployment.Id}/runs?limit=1")).Read<JsonElement>();
        var next = first.GetProperty("nextCursor").GetString();
        var second = await client.GetAsync($"/api/v1/deployments/{deployment.Id}/runs?limit=1&cursor={next}");

        second.StatusCode.Should().Be(HttpStatusCode.OK);
        var items = (await second.Read<JsonElement>()).GetProperty("items");
        items.GetArrayLength().Should().Be(1);
        items[0].GetProperty("id").GetString().Should().NotBe(first.GetProperty("items")[0].GetProperty("id").GetString());
    }
}
