using System.Text;
using System.Text.Json.Nodes;
using Amnify.Api.Tests.Features.Access;
using CsCheck;
using Dapper;

namespace Amnify.Api.Tests.Fuzz;

[CollectionDefinition(nameof(FuzzCollection))]
public sealed class FuzzCollection : ICollectionFixture<ApiFactory>;

/// <summary>
/// Random and malformed input against every endpoint: never a 5xx, every error a problem-details answer,
/// and nothing already stored changed by a request that was refused.
/// </summary>
[Collection(nameof(FuzzCollection))]
public sealed class HostileInputTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient client = api.CreateClient();
    private string[] endpoints = [];

    public async Task InitializeAsync()
    {
        await client.SyncExamples();
        // Real ids as well as junk ones, so requests reach handlers and not only the router.
        var deployment = await client.Deployment("aws", "network");
        // Every route the app serves, each of which the access matrix must know: a new endpoint is fuzzed from the start.
        var routes = AccessMatrix.Routes(api.Services);
        routes.Select(r => r.Key).Except(AccessMatrix.Minimum.Keys).Should().BeEmpty("every route needs an entry in AccessMatrix");
        endpoints = routes.Select(r => $"{r.Method} {AccessMatrix.Url(r.Path, "{id}")}").Distinct().ToArray();
        realIds = [deployment.Id.ToString(), deployment.ProjectId.ToString(), deployment.CloudEnvironmentId.ToString()];
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private string[] realIds = [];

    private static readonly string[] Nasty =
    [
        "", " ", "null", "'; DROP TABLE projects; --", "../../etc/passwd", "%00", "\u0000", "𝕳𝖊𝖑𝖑𝖔", "\u202Eevil", "ﷺ", "<script>alert(1)</script>",
        "{{7*7}}", "${jndi:ldap://x}", new string('a', 5000), "\uD800", "1e309", "-0", "NaN", "0x10", "AKIA" + new string('Z', 300),
    ];

    private static readonly Gen<JsonNode?> Json = Gen.Recursive<JsonNode?>((depth, inner) =>
        depth > 3
            ? Gen.OneOf(Gen.OneOf(Nasty).Select(s => (JsonNode?)JsonValue.Create(s)), Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)))
            : Gen.OneOf(
                Gen.OneOf(Nasty).Select(s => (JsonNode?)JsonValue.Create(s)),
                Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
                Gen.Double.Select(d => double.IsFinite(d) ? (JsonNode?)JsonValue.Create(d) : null),
                Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
                Gen.Const((JsonNode?)null),
                inner.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items.Select(i => i?.DeepClone()).ToArray())),
                Gen.Select(Gen.OneOf("name", "provider", "description", "variables", "stepIds", "deploymentId", "projectId",
                        "templateId", "cloudEnvironmentId", "credentials", "tags", "operation", "role", "email", "password", "region",
                        "accountId", "kind", "pipelineId", "reason", "subnets", "x"), inner, (k, v) => (Key: k, Value: v)).Array[0, 5]
                    .Select(pairs =>
                    {
                        var o = new JsonObject();
                        foreach (var pair in pairs) o[pair.Key] = pair.Value?.DeepClone();
                        return (JsonNode?)o;
                    })));

    private static readonly Gen<byte[]> Bodies = Gen.OneOf(
        Json.Select(j => Encoding.UTF8.GetBytes(j?.ToJsonString() ?? "null")),
        Gen.Byte.Array[0, 64], // not UTF-8, not JSON
        Gen.Int[1, 200].Select(depth => Encoding.UTF8.GetBytes(new string('[', depth * 50) + new string(']', depth * 50))),
        Gen.OneOf("{\"name\":", "{\"provider\":\"aws\",\"name\":\"a\",\"name\":\"b\"}", "[]", "\"x\"", "{\"stepIds\":[1,2,3]}")
            .Select(Encoding.UTF8.GetBytes));

    // A NUL in the path never reaches the app: Kestrel refuses it first (and the in-memory test server throws).
    private Gen<string> Ids => Gen.OneOf(Gen.OneOf(realIds), Gen.OneOf(Nasty).Where(n => !n.Contains('\0')).Select(Uri.EscapeDataString),
        Gen.Guid.Select(g => g.ToString()));

    private static readonly Gen<(string Name, string Value)> Headers = Gen.OneOf(
        Gen.OneOf(Nasty).Select(v => ("If-Match", v)),
        Gen.OneOf(Nasty).Select(v => ("Idempotency-Key", v)),
        Gen.OneOf(Nasty).Select(v => ("Last-Event-ID", v)),
        Gen.OneOf("Bearer", "Bearer ", "Basic abc", "Bearer amn_nope", "bearer " + new string('x', 600)).Select(v => ("Authorization", v)),
        Gen.Const(("X-Nothing", "1")));

    /// <summary>What must not change when a request is refused: every row of the data tables.</summary>
    private async Task<string> Fingerprint()
    {
        await using var db = await api.OpenDatabase();
        return await db.ExecuteScalarAsync<string>("""
            SELECT md5(string_agg(t, '|' ORDER BY t)) FROM (
              SELECT p::text t FROM projects p UNION ALL SELECT c::text FROM cloud_environments c UNION ALL SELECT d::text FROM deployments d
              UNION ALL SELECT p::text FROM pipelines p UNION ALL SELECT s::text FROM pipeline_steps s UNION ALL SELECT u::text FROM users u
              UNION ALL SELECT t.id::text || coalesce(t.revoked_at::text, '') FROM api_tokens t) x
            """) ?? "";
    }

    /// <summary>Only a Server-Sent Events stream may keep a request open; any other route that hangs fails the test.</summary>
    private static bool MayStayOpen(string template) => template.EndsWith("/events", StringComparison.Ordinal);

    [Fact]
    public async Task No_input_makes_the_server_fail_or_lose_data()
    {
        var cases = Gen.Select(Gen.Int[0, endpoints.Length - 1], Ids, Bodies, Headers, Gen.Bool, (i, id, b, h, q) => (i, id, b, h, q));
        await cases.SampleAsync(async c =>
        {
            var (index, id, body, header, query) = c;
            var (method, template) = (endpoints[index].Split(' ')[0], endpoints[index].Split(' ')[1]);
            var url = template.Replace("{id}", id) + (query ? $"?limit={id}&cursor={id}&q={id}&provider={id}&offset={id}" : "");
            var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method is not "GET" and not "DELETE" and not "HEAD") request.Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };
            if (header.Name == "Authorization") request.Headers.TryAddWithoutValidation("Authorization", header.Value);
            else request.Headers.TryAddWithoutValidation(header.Name, header.Value);

            var before = await Fingerprint();
            // A stream is given two seconds and left open; anything else must answer, however slow the machine.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(MayStayOpen(template) ? 2 : 30));
            HttpResponseMessage response;
            try { response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token); }
            catch (OperationCanceledException) when (MayStayOpen(template)) { return; }

            ((int)response.StatusCode).Should().BeLessThan(500, $"{method} {url} must not fail: {await response.Content.ReadAsStringAsync()}");
            if ((int)response.StatusCode >= 400)
            {
                response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", $"{method} {url} answered {(int)response.StatusCode}");
                (await Fingerprint()).Should().Be(before, $"the refused {method} {url} must change nothing");
            }
        }, iter: 400, threads: 1);
    }

    [Theory]
    [InlineData("POST", "/api/v1/projects", "{\"provider\":\"aws\",\"name\":\"\\uD800\"}")]
    [InlineData("POST", "/api/v1/projects", "{\"provider\":\"aws\",\"name\":\"x\",\"tags\":[1]}")]
    [InlineData("PUT", "/api/v1/pipelines/00000000-0000-0000-0000-000000000000/steps/order", "{\"stepIds\":null}")]
    [InlineData("POST", "/api/v1/deployments", "{\"projectId\":\"not-a-guid\"}")]
    [InlineData("GET", "/api/v1/projects?limit=99999999999", "")]
    [InlineData("GET", "/api/v1/audit-events?from=yesterday", "")]
    public async Task Known_hostile_requests_get_a_clear_4xx(string method, string url, string body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body.Length > 0) request.Content = new StringContent(body, Encoding.UTF8, "application/json");

        var response = await client.SendAsync(request);

        ((int)response.StatusCode).Should().BeInRange(400, 499);
        (await response.ReadProblem()).Title.Should().NotBeNullOrEmpty();
    }
}
