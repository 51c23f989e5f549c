using System.Net;
using Amnify.Api.Features.Access;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Features.Pipelines;

namespace Amnify.Api.Tests.Features.Access;

[CollectionDefinition(nameof(TokenLifetimeCollection))]
public sealed class TokenLifetimeCollection : ICollectionFixture<ApiFactory>;

/// <summary>A credential lasts no longer than what stands behind it: its owner's role and state, or the token that made it.</summary>
[Collection(nameof(TokenLifetimeCollection))]
public sealed class TokenLifetimeTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient admin = api.CreateClient();

    public Task InitializeAsync() => admin.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Pipeline> PipelineWithAStep()
    {
        var pipeline = await (await admin.PostJson("/api/v1/pipelines", new { provider = "aws", name = HttpExtensions.Unique("CI") })).Read<Pipeline>();
        var deployment = await admin.Deployment("aws", "network");
        (await admin.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = deployment.Id })).EnsureSuccessStatusCode();
        return pipeline;
    }

    private async Task<HttpClient> CiToken(Person owner, Guid pipelineId)
    {
        var created = await owner.Client.PostJson("/api/v1/tokens", new { name = "deploy-job", kind = "pipeline", pipelineId });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        return api.WithToken((await created.Read<CreatedApiToken>()).Token);
    }

    private Task<HttpResponseMessage> SetUser(Guid id, object change) => admin.PatchJson($"/api/v1/users/{id}", change);

    [Fact]
    public async Task A_CI_token_stops_triggering_when_its_owner_is_demoted_below_operator_and_works_again_when_promoted()
    {
        var owner = await api.Person("operator");
        var pipeline = await PipelineWithAStep();
        var ci = await CiToken(owner, pipeline.Id);
        var first = await ci.PostEmpty($"/api/v1/pipelines/{pipeline.Id}/runs");
        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var run = await first.Read<PipelineRun>();
        (await admin.PostEmpty($"/api/v1/pipeline-runs/{run.Id}/cancel")).EnsureSuccessStatusCode();

        (await SetUser(owner.Id, new { role = "viewer" })).EnsureSuccessStatusCode();

        var demoted = await ci.PostEmpty($"/api/v1/pipelines/{pipeline.Id}/runs");
        demoted.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await demoted.ReadProblem()).Detail.Should().Contain("owner");
        (await ci.GetAsync($"/api/v1/pipeline-runs/{run.Id}")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "reading is part of what the token may do only while its owner may trigger");

        (await SetUser(owner.Id, new { role = "approver" })).EnsureSuccessStatusCode();
        var again = await ci.PostEmpty($"/api/v1/pipelines/{pipeline.Id}/runs");
        again.StatusCode.Should().Be(HttpStatusCode.Accepted);
        await admin.PostEmpty($"/api/v1/pipeline-runs/{(await again.Read<PipelineRun>()).Id}/cancel");
    }

    [Fact]
    public async Task A_token_made_with_a_token_expires_no_later_than_its_maker_and_is_revoked_with_it()
    {
        var person = await api.Person("operator");
        var maker = await (await person.Client.PostJson("/api/v1/tokens", new { name = "short", expiresInDays = 5 })).Read<CreatedApiToken>();
        var makerClient = api.WithToken(maker.Token);

        var child = await (await makerClient.PostJson("/api/v1/tokens", new { name = "longer", expiresInDays = 365 })).Read<CreatedApiToken>();
        var grandchild = await (await api.WithToken(child.Token).PostJson("/api/v1/tokens", new { name = "longest", expiresInDays = 365 }))
            .Read<CreatedApiToken>();

        child.ApiToken.ExpiresAt.Should().NotBeNull().And.BeOnOrBefore(maker.ApiToken.ExpiresAt!.Value);
        grandchild.ApiToken.ExpiresAt.Should().NotBeNull().And.BeOnOrBefore(maker.ApiToken.ExpiresAt!.Value);
        person.Token.ApiToken.ExpiresAt.Should().BeAfter(DateTimeOffset.UtcNow.AddDays(80), "a token made from a signed-in session is not capped");

        (await person.Client.DeleteAsync($"/api/v1/tokens/{maker.ApiToken.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await makerClient.GetAsync("/api/v1/projects")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await api.WithToken(child.Token).GetAsync("/api/v1/projects")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await api.WithToken(grandchild.Token).GetAsync("/api/v1/projects")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await person.Client.GetAsync("/api/v1/projects")).StatusCode.Should().Be(HttpStatusCode.OK, "a token the maker did not make stays");
    }

    [Fact]
    public async Task Disabling_a_user_ends_their_sessions_and_stops_their_tokens_CI_tokens_included()
    {
        var person = await api.Person("operator");
        var browser = await api.SignIn(person.User.Email);
        var pipeline = await PipelineWithAStep();
        var ci = await CiToken(person, pipeline.Id);
        (await browser.GetAsync("/api/v1/me")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await SetUser(person.Id, new { disabled = true })).EnsureSuccessStatusCode();

        (await browser.GetAsync("/api/v1/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await person.Client.GetAsync("/api/v1/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await ci.PostEmpty($"/api/v1/pipelines/{pipeline.Id}/runs")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        // Tokens are suspended, not revoked: enabling the user again brings them back; the ended session does not come back.
        (await SetUser(person.Id, new { disabled = false })).EnsureSuccessStatusCode();
        (await person.Client.GetAsync("/api/v1/me")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await browser.GetAsync("/api/v1/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Changing_a_password_ends_the_users_sessions_and_keeps_their_tokens()
    {
        var person = await api.Person("viewer");
        var browser = await api.SignIn(person.User.Email);

        (await SetUser(person.Id, new { password = "a-brand-new-password" })).EnsureSuccessStatusCode();

        (await browser.GetAsync("/api/v1/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await person.Client.GetAsync("/api/v1/me")).StatusCode.Should().Be(HttpStatusCode.OK);
        var again = await api.SignIn(person.User.Email, "a-brand-new-password");
        (await again.GetAsync("/api/v1/me")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
