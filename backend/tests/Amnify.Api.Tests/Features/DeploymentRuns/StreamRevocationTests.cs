using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Amnify.Api.Engine;
using Amnify.Api.Features.Access;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Features.Pipelines;
using Amnify.Api.Tests.Features.Access;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[CollectionDefinition(nameof(StreamRevocationCollection))]
public sealed class StreamRevocationCollection : ICollectionFixture<ApiFactory>;

/// <summary>An open event stream lasts only as long as the credential it was opened with, and streams are capped per user id and in all.</summary>
[Collection(nameof(StreamRevocationCollection))]
public sealed class StreamRevocationTests(ApiFactory api) : IAsyncLifetime
{
    /// <summary>The recheck runs every 3 s by default; the margin covers a busy test machine.</summary>
    private static readonly TimeSpan EndsWithin = TimeSpan.FromSeconds(10);

    private readonly HttpClient admin = api.CreateClient();

    public Task InitializeAsync() => admin.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A run that waits for approval: its stream stays open until someone acts.</summary>
    private async Task<DeploymentRun> WaitingRun()
    {
        var deployment = await admin.Deployment("aws", "network");
        var run = await admin.Trigger(deployment.Id);
        return await admin.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
    }

    [Fact]
    public async Task A_stream_opened_with_a_token_ends_within_seconds_of_the_token_being_revoked()
    {
        var person = await api.Person("viewer");
        var run = await WaitingRun();
        await using var stream = await Sse.Open(person.Client, $"/api/v1/deployment-runs/{run.Id}/events");
        (await stream.EndsWithin(TimeSpan.FromSeconds(4))).Should().BeFalse("the stream stays open while the token stands");

        (await person.Client.DeleteAsync($"/api/v1/tokens/{person.Token.ApiToken.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await stream.EndsWithin(EndsWithin)).Should().BeTrue();
        stream.Text.Should().Contain("event: status").And.NotContain("event: end", "the run did not end; the credential did");
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task A_stream_opened_with_a_session_ends_when_the_user_is_disabled()
    {
        var person = await api.Person("viewer");
        var browser = await api.SignIn(person.User.Email);
        var run = await WaitingRun();
        await using var stream = await Sse.Open(browser, $"/api/v1/deployment-runs/{run.Id}/events");

        (await admin.PatchJson($"/api/v1/users/{person.Id}", new { disabled = true })).EnsureSuccessStatusCode();

        (await stream.EndsWithin(EndsWithin)).Should().BeTrue();
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task A_CI_tokens_pipeline_stream_ends_when_its_owner_is_demoted_below_operator()
    {
        var owner = await api.Person("operator");
        var pipeline = await (await admin.PostJson("/api/v1/pipelines", new { provider = "aws", name = HttpExtensions.Unique("CI") })).Read<Pipeline>();
        var deployment = await admin.Deployment("aws", "network");
        (await admin.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = deployment.Id })).EnsureSuccessStatusCode();
        var token = await (await owner.Client.PostJson("/api/v1/tokens", new { name = "ci", kind = "pipeline", pipelineId = pipeline.Id })).Read<CreatedApiToken>();
        var ci = api.WithToken(token.Token);
        var run = await (await ci.PostEmpty($"/api/v1/pipelines/{pipeline.Id}/runs")).Read<PipelineRun>();
        await using var stream = await Sse.Open(ci, $"/api/v1/pipeline-runs/{run.Id}/events");
        (await stream.EndsWithin(TimeSpan.FromSeconds(4))).Should().BeFalse();

        (await admin.PatchJson($"/api/v1/users/{owner.Id}", new { role = "viewer" })).EnsureSuccessStatusCode();

        (await stream.EndsWithin(EndsWithin)).Should().BeTrue();
        stream.Text.Should().NotContain("event: end");
        await admin.PostEmpty($"/api/v1/pipeline-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task Streams_are_capped_per_user_id_across_their_tokens_and_in_all()
    {
        var small = api.WithWebHostBuilder(b =>
        {
            b.UseSetting("Streams:PerUser", "2");
            b.UseSetting("Streams:Total", "3");
        });
        var first = await api.Person("viewer", "Same Name");
        var second = await api.Person("viewer", "Same Name");
        var third = await api.Person("viewer");
        var firstAgain = await (await first.Client.PostJson("/api/v1/tokens", new { name = "second token" })).Read<CreatedApiToken>();
        var run = await WaitingRun();
        var url = $"/api/v1/deployment-runs/{run.Id}/events";
        HttpClient On(string token)
        {
            var client = small.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        }

        await using var a1 = await Sse.Open(On(first.Token.Token), url);
        await using var a2 = await Sse.Open(On(firstAgain.Token), url);
        var a3 = await On(first.Token.Token).GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        await using var b1 = await Sse.Open(On(second.Token.Token), url);
        var c1 = await On(third.Token.Token).GetAsync(url, HttpCompletionOption.ResponseHeadersRead);

        a3.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "the cap is per user, whichever of their tokens opens the stream");
        (await a3.ReadProblem()).Detail.Should().Contain("2 live event streams per user");
        c1.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "the process holds its total of 3");

        await b1.DisposeAsync();
        await WaitUntilFree(() => On(third.Token.Token), url);
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    /// <summary>A closed stream frees its slot once the server notices the client left: retry briefly.</summary>
    private static async Task WaitUntilFree(Func<HttpClient> client, string url)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var response = await client().GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                response.Dispose();
                return;
            }
            response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
            if (DateTime.UtcNow > until) throw new Xunit.Sdk.XunitException("The closed stream's slot was never freed.");
            await Task.Delay(200);
        }
    }
}

/// <summary>An open Server-Sent Events response, read as it arrives.</summary>
internal sealed class Sse : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly Stream body;
    private readonly StringBuilder text = new();
    private Task<int>? pending;
    private readonly byte[] buffer = new byte[8192];

    private Sse(HttpResponseMessage response, Stream body) => (this.response, this.body) = (response, body);

    public string Text => text.ToString();

    public static async Task<Sse> Open(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.Should().Be("text/event-stream");
        return new Sse(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>Reads what arrives; true when the server ends the stream within <paramref name="time"/>.</summary>
    public async Task<bool> EndsWithin(TimeSpan time)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < time)
        {
            pending ??= body.ReadAsync(buffer).AsTask();
            if (await Task.WhenAny(pending, Task.Delay(time - clock.Elapsed)) != pending) return false;
            var read = await pending;
            pending = null;
            if (read == 0) return true;
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        response.Dispose();
        await body.DisposeAsync();
    }
}
