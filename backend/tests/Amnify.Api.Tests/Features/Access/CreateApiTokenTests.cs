using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.Access;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Features.Pipelines;
using Dapper;

namespace Amnify.Api.Tests.Features.Access;

[Collection(nameof(AccessCollection))]
public sealed class CreateApiTokenTests(ApiFactory factory) : AccessTestBase(factory)
{
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
}
