using System.Net;
using Amnify.Api.Auth;
using Amnify.Api.Engine;
using Amnify.Api.Features.Access;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Features.Pipelines;
using Amnify.Api.Http;
using Dapper;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Amnify.Api.Tests.Features.Access;

[CollectionDefinition(nameof(AccessCollection))]
public sealed class AccessCollection : ICollectionFixture<ApiFactory>;

[Collection(nameof(AccessCollection))]
public sealed class AccessTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient admin = api.CreateClient();

    public Task InitializeAsync() => admin.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    public static readonly string X = Guid.CreateVersion7().ToString();

    /// <summary>The app as deployed, SPA included, shared by the matrix's rows.</summary>
    private static readonly Dictionary<ApiFactory, WebApplicationFactory<Program>> Hosts = [];

    private WebApplicationFactory<Program> Host()
    {
        lock (Hosts)
        {
            if (!Hosts.TryGetValue(api, out var host)) Hosts[api] = host = api.WithSpa();
            return host;
        }
    }

    private static HttpRequestMessage Request(string method, string url) =>
        new(new HttpMethod(method), url) { Content = method is "GET" or "DELETE" or "HEAD" ? null : new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };

    [Fact]
    public void Every_route_the_app_serves_has_an_entry_in_the_access_matrix_and_every_entry_a_route()
    {
        var routes = AccessMatrix.Routes(Host().Services).Select(r => r.Key).ToHashSet();

        routes.Except(AccessMatrix.Minimum.Keys).Should().BeEmpty("every route must say in AccessMatrix who may call it");
        AccessMatrix.Minimum.Keys.Except(routes).Should().BeEmpty("an entry whose route is gone tests nothing");
    }

    [Fact]
    public void Routes_open_to_everyone_say_AllowAnonymous_and_the_rest_are_closed_by_default()
    {
        var routes = AccessMatrix.Routes(Host().Services);
        var open = routes.Where(r => AccessMatrix.Minimum.GetValueOrDefault(r.Key) == AccessMatrix.Anonymous).ToList();

        open.Should().NotBeEmpty().And.OnlyContain(r => AccessMatrix.SaysAllowAnonymous(r), "an open route is open on purpose");
        routes.Except(open).Should().NotContain(r => AccessMatrix.SaysAllowAnonymous(r));
        var fallback = Host().Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy;
        fallback.Should().NotBeNull("a route that names no policy must not be public");
        fallback!.Requirements.Should().ContainSingle().Which.Should().Be(new RoleRequirement(Role.Viewer));
    }

    [Fact]
    public async Task A_route_that_names_no_policy_is_closed_to_anonymous_callers()
    {
        var anonymous = api.CreateAnonymousClient();

        // The router's own "method not allowed" endpoint names no policy: the fallback closes it like a forgotten route.
        var wrongMethod = await anonymous.PutAsync("/api/v1/projects", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        wrongMethod.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await wrongMethod.ReadProblem()).Status.Should().Be(401);
        (await api.CreateClient().PutAsync("/api/v1/projects", new StringContent("{}", System.Text.Encoding.UTF8, "application/json")))
            .StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task A_path_no_route_serves_answers_404_to_anyone()
    {
        var response = await api.CreateAnonymousClient().GetAsync("/api/v1/nothing-here");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.ReadProblem()).Status.Should().Be(404);
    }

    [Fact]
    public async Task The_SPA_its_files_and_the_API_document_are_open_to_everyone()
    {
        var anonymous = Host().CreateClient();
        anonymous.DefaultRequestHeaders.Authorization = null;

        (await anonymous.GetStringAsync("/pipelines/some-page")).Should().Contain("<title>Amnify Deploy</title>");
        (await anonymous.GetStringAsync("/")).Should().Contain("<title>Amnify Deploy</title>");
        (await anonymous.GetStringAsync("/assets/app.js")).Should().Contain("amnify");
        (await anonymous.GetStringAsync("/swagger/v1/swagger.yaml")).Should().Contain("openapi:");
        (await anonymous.GetAsync("/swagger/index.html")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync("/api/v1/projects")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    /// <summary>Each role's least rights, from an unknown id and an empty body: a caller who passes sees 400/404/409, never 401/403.</summary>
    [Theory]
    [MemberData(nameof(AccessMatrix.Rows), MemberType = typeof(AccessMatrix))]
    public async Task Each_role_reaches_exactly_the_endpoints_its_rank_allows(string method, string path, string minimum)
    {
        var url = AccessMatrix.Url(path, X);
        var anonymous = Host().CreateClient();
        anonymous.DefaultRequestHeaders.Authorization = null;
        var status = (await anonymous.SendAsync(Request(method, url))).StatusCode;
        if (minimum == AccessMatrix.Anonymous)
            status.Should().NotBe(HttpStatusCode.Unauthorized, $"anyone may {method} {url}").And.NotBe(HttpStatusCode.Forbidden);
        else
            status.Should().Be(HttpStatusCode.Unauthorized, $"{method} {url} needs a signed-in caller");
        foreach (var role in AccessMatrix.Ranks)
        {
            var client = await ClientFor(role);
            status = (await client.SendAsync(Request(method, url))).StatusCode;
            if (minimum == AccessMatrix.Anonymous || Array.IndexOf(AccessMatrix.Ranks, role) >= Array.IndexOf(AccessMatrix.Ranks, minimum))
                status.Should().NotBe(HttpStatusCode.Forbidden, $"{role} may {method} {url}").And.NotBe(HttpStatusCode.Unauthorized);
            else
                status.Should().Be(HttpStatusCode.Forbidden, $"{role} may not {method} {url}");
        }
    }

    private static readonly Dictionary<string, System.Net.Http.Headers.AuthenticationHeaderValue> Tokens = [];

    /// <summary>A client of the SPA-serving host with the personal token of a user of <paramref name="role"/>.</summary>
    private async Task<HttpClient> ClientFor(string role)
    {
        System.Net.Http.Headers.AuthenticationHeaderValue? token;
        lock (Tokens) Tokens.TryGetValue(role, out token);
        if (token is null)
        {
            token = (await api.CreateClientAs(role)).DefaultRequestHeaders.Authorization!;
            lock (Tokens) Tokens[role] = token;
        }
        var client = Host().CreateClient();
        client.DefaultRequestHeaders.Authorization = token;
        return client;
    }

    [Fact]
    public async Task Health_and_readiness_stay_open()
    {
        var anonymous = api.CreateAnonymousClient();
        (await anonymous.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync("/readyz")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_pipeline_trigger_token_triggers_and_reads_its_pipeline_only()
    {
        var pipeline = await (await admin.PostJson("/api/v1/pipelines", new { provider = "aws", name = HttpExtensions.Unique("CI") })).Read<Pipeline>();
        var other = await (await admin.PostJson("/api/v1/pipelines", new { provider = "aws", name = HttpExtensions.Unique("Other") })).Read<Pipeline>();
        var deployment = await admin.Deployment("aws", "network");
        await admin.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = deployment.Id });
        var created = await (await admin.PostJson("/api/v1/tokens", new { name = "ci", kind = "pipeline", pipelineId = pipeline.Id })).Read<CreatedApiToken>();
        var ci = api.CreateAnonymousClient();
        ci.DefaultRequestHeaders.Authorization = new("Bearer", created.Token);

        var triggered = await ci.PostEmpty($"/api/v1/pipelines/{pipeline.Id}/runs");
        triggered.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var run = await triggered.Read<PipelineRun>();
        run.TriggerSource.Should().Be("ci");
        (await ci.GetAsync($"/api/v1/pipeline-runs/{run.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await ci.GetAsync($"/api/v1/pipelines/{pipeline.Id}/runs")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await ci.GetAsync($"/api/v1/pipelines/{other.Id}/runs")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await ci.PostEmpty($"/api/v1/pipelines/{other.Id}/runs")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var stepRun = run.Steps[0].DeploymentRunId!.Value;
        await admin.WaitFor(stepRun, RunStatus.AwaitingPlanApproval);
        (await ci.PostEmpty($"/api/v1/deployment-runs/{stepRun}/approve-plan")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await ci.GetAsync("/api/v1/deployments")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await ci.PostEmpty($"/api/v1/pipeline-runs/{run.Id}/cancel")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        await admin.PostEmpty($"/api/v1/pipeline-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task Tokens_are_shown_once_stored_hashed_and_stop_working_when_revoked_or_expired()
    {
        var created = await (await admin.PostJson("/api/v1/tokens", new { name = "script", expiresInDays = 30 })).Read<CreatedApiToken>();
        created.Token.Should().StartWith("amn_");
        (await admin.GetStringAsync("/api/v1/tokens")).Should().NotContain(created.Token);
        (await api.DatabaseContains(created.Token)).Should().BeFalse();

        var script = api.CreateAnonymousClient();
        script.DefaultRequestHeaders.Authorization = new("Bearer", created.Token);
        (await script.GetAsync("/api/v1/projects")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await admin.GetFromJsonList<ApiToken>("/api/v1/tokens")).Single(t => t.Id == created.ApiToken.Id).LastUsedAt.Should().NotBeNull();

        (await admin.DeleteAsync($"/api/v1/tokens/{created.ApiToken.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await script.GetAsync("/api/v1/projects")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var expiring = await (await admin.PostJson("/api/v1/tokens", new { name = "short" })).Read<CreatedApiToken>();
        await using (var db = await api.OpenDatabase())
            await db.ExecuteAsync("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = @id", new { id = expiring.ApiToken.Id });
        var late = api.CreateAnonymousClient();
        late.DefaultRequestHeaders.Authorization = new("Bearer", expiring.Token);
        (await late.GetAsync("/api/v1/projects")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Cookie_sessions_need_the_client_header_for_changes_and_end_at_logout()
    {
        var email = $"op-{Guid.NewGuid():N}@example.test";
        await admin.PostJson("/api/v1/users", new { email, displayName = "Op", role = "operator", password = "operator-password" });
        var browser = api.CreateAnonymousClient();
        var login = await browser.PostJson("/api/v1/auth/login", new { email, password = "operator-password" });
        var cookie = login.Headers.GetValues("Set-Cookie").Single();
        cookie.Should().Contain("httponly").And.Contain("samesite=strict");
        browser.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);

        (await (await browser.GetAsync("/api/v1/me")).Read<Me>()).Role.Should().Be(Amnify.Api.Auth.Role.Operator);
        (await browser.PostJson("/api/v1/projects", new { provider = "aws", name = HttpExtensions.Unique("forged") })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        browser.DefaultRequestHeaders.Add("X-Amnify-Client", "spa");
        (await browser.PostJson("/api/v1/projects", new { provider = "aws", name = HttpExtensions.Unique("real") })).StatusCode.Should().Be(HttpStatusCode.Created);

        await browser.PostEmpty("/api/v1/auth/logout");
        (await browser.GetAsync("/api/v1/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_last_admin_who_can_sign_in_cannot_be_demoted_or_disabled()
    {
        await using var lone = new ApiFactory();
        await lone.InitializeAsync();
        var admin = lone.CreateClient();
        var created = await (await admin.PostJson("/api/v1/users", new { email = "only@example.test", displayName = "Only", role = "admin", password = "only-admin-password" })).Read<User>();

        var demote = await admin.PatchJson($"/api/v1/users/{created.Id}", new { role = "viewer" });
        demote.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await admin.PatchJson($"/api/v1/users/{created.Id}", new { disabled = true })).StatusCode.Should().Be(HttpStatusCode.Conflict);

        await admin.PostJson("/api/v1/users", new { email = "second@example.test", displayName = "Second", role = "admin", password = "second-admin-password" });
        (await admin.PatchJson($"/api/v1/users/{created.Id}", new { role = "viewer" })).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_first_admin_comes_from_the_environment_and_can_sign_in()
    {
        var email = $"first-{Guid.NewGuid():N}@example.test";
        var factory = api.WithWebHostBuilder(b =>
        {
            b.UseSetting("AMNIFY_ADMIN_EMAIL", email);
            b.UseSetting("AMNIFY_ADMIN_PASSWORD", "first-admin-password");
        });
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = null;

        var me = await (await client.PostJson("/api/v1/auth/login", new { email, password = "first-admin-password" })).Read<Me>();

        me.Role.Should().Be(Amnify.Api.Auth.Role.Admin);
    }

    [Fact]
    public async Task With_four_eyes_the_person_who_approved_the_plan_cannot_approve_the_apply()
    {
        var approverA = await ClientFor("approver");
        var approverB = await api.CreateClientAs("approver");
        var deployment = await admin.Deployment("aws", "network");
        await admin.PatchJson($"/api/v1/deployments/{deployment.Id}", new { requireDistinctApprover = true });

        var run = await admin.Trigger(deployment.Id);
        await admin.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await approverA.Approve(run.Id, "approve-plan");

        (await (await approverA.GetAsync($"/api/v1/deployment-runs/{run.Id}")).Read<DeploymentRun>()).Actions.ApproveApply.Should().BeFalse();
        var refused = await approverA.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-apply");
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-apply")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "the admin triggered it");

        (await (await approverB.GetAsync($"/api/v1/deployment-runs/{run.Id}")).Read<DeploymentRun>()).Actions.ApproveApply.Should().BeTrue();
        var done = await approverB.Approve(run.Id, "approve-apply");
        done.ApplyApprovedBy.Should().NotBe(done.PlanApprovedBy);
        await admin.WaitFor(run.Id, RunStatus.Completed);
    }

    [Fact]
    public async Task A_viewer_sees_no_actions_on_a_run()
    {
        var viewer = await ClientFor("viewer");
        var deployment = await admin.Deployment("aws", "network");
        var run = await admin.Trigger(deployment.Id);
        await admin.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);

        (await (await viewer.GetAsync($"/api/v1/deployment-runs/{run.Id}")).Read<DeploymentRun>()).Actions
            .Should().Be(new RunActions(false, false, false));
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task Each_audited_action_writes_exactly_one_event_with_actor_and_source()
    {
        var project = await admin.Project("aws");
        await admin.PatchJson($"/api/v1/projects/{project.Id}", new { description = "changed" });
        var deployment = await admin.Deployment("aws", "network", projectId: project.Id);
        var run = await admin.Trigger(deployment.Id);
        await admin.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await admin.Approve(run.Id, "approve-plan");
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");

        async Task<AuditEvent[]> Events(string resourceType, object id) =>
            (await (await admin.GetAsync($"/api/v1/audit-events?resourceType={resourceType}&resourceId={id}")).Read<Page<AuditEvent>>()).Items.ToArray();

        (await Events("project", project.Id)).Select(e => e.Action).Should().BeEquivalentTo(["project.create", "project.update"]);
        (await Events("deployment", deployment.Id)).Select(e => e.Action).Should().Equal("deployment.create");
        var runEvents = await Events("deploymentRun", run.Id);
        runEvents.Select(e => e.Action).Should().BeEquivalentTo(["deploymentRun.trigger.execute", "deploymentRun.approvePlan", "deploymentRun.cancel"]);
        runEvents.Should().OnlyContain(e => e.Actor == "bootstrap@amnify.local");
    }
}

internal static class JsonListExtensions
{
    public static async Task<T[]> GetFromJsonList<T>(this HttpClient client, string url) => await (await client.GetAsync(url)).Read<T[]>();
}
