using System.Net;
using Amnify.Api.Features.Access;
using Amnify.Api.Features.CloudEnvironments;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Features.Pipelines;
using Amnify.Api.Features.Projects;

namespace Amnify.Api.Tests.Contract;

/// <summary>Every 201 and 202 says where its resource lives, built from the route table (CreatedAtRoute), not typed by hand.</summary>
[Collection(nameof(ContractCollection))]
public sealed class LocationTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<T> At<T>(HttpResponseMessage response, HttpStatusCode status, Func<T, string> expected)
    {
        response.StatusCode.Should().Be(status, await response.Content.ReadAsStringAsync());
        var value = await response.Read<T>();
        response.Headers.Location!.ToString().Should().Be(expected(value));
        return value;
    }

    [Fact]
    public async Task Each_created_resource_answers_its_own_path_and_a_get_there_finds_it()
    {
        var project = await At<Project>(await client.PostJson("/api/v1/projects", new { provider = "aws", name = HttpExtensions.Unique("Project") }),
            HttpStatusCode.Created, p => $"/api/v1/projects/{p.Id}");
        var environment = await At<CloudEnvironment>(await client.PostJson("/api/v1/cloud-environments", new
        {
            provider = "aws", name = HttpExtensions.Unique("Env"), region = "eu-west-1", accountId = "123456789012",
            credentials = new Dictionary<string, string> { ["CLOUD_TOKEN"] = "token-value" },
        }), HttpStatusCode.Created, e => $"/api/v1/cloud-environments/{e.Id}");
        var deployment = await At<Deployment>(await client.PostJson("/api/v1/deployments", new
        {
            projectId = project.Id, templateId = "aws-network", cloudEnvironmentId = environment.Id,
            name = HttpExtensions.Unique("network"), variables = Seed.ExampleValues("network"),
        }), HttpStatusCode.Created, d => $"/api/v1/deployments/{d.Id}");
        var pipeline = await At<Pipeline>(await client.PostJson("/api/v1/pipelines", new { provider = "aws", name = HttpExtensions.Unique("Pipeline") }),
            HttpStatusCode.Created, p => $"/api/v1/pipelines/{p.Id}");
        await At<Pipeline>(await client.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = deployment.Id }),
            HttpStatusCode.Created, p => $"/api/v1/pipelines/{pipeline.Id}");
        await At<User>(await client.PostJson("/api/v1/users", new
        {
            email = $"{Guid.NewGuid():N}@example.test", displayName = "Located", role = "viewer", password = "a-long-enough-password",
        }), HttpStatusCode.Created, u => $"/api/v1/users/{u.Id}");
        await At<CreatedApiToken>(await client.PostJson("/api/v1/tokens", new { name = HttpExtensions.Unique("Token") }),
            HttpStatusCode.Created, t => $"/api/v1/tokens/{t.ApiToken.Id}");

        foreach (var path in new[] { $"/api/v1/projects/{project.Id}", $"/api/v1/cloud-environments/{environment.Id}", $"/api/v1/deployments/{deployment.Id}", $"/api/v1/pipelines/{pipeline.Id}" })
            (await client.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK, path);
    }

    [Fact]
    public async Task Run_triggers_answer_the_run_path_and_a_replayed_trigger_the_same_one()
    {
        var deployment = await client.Deployment();
        var run = await At<DeploymentRun>(await client.PostJson($"/api/v1/deployments/{deployment.Id}/runs", new { operation = "execute" }),
            HttpStatusCode.Accepted, r => $"/api/v1/deployment-runs/{r.Id}");
        (await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel")).StatusCode.Should().Be(HttpStatusCode.OK);

        var other = await client.Deployment();
        var pipeline = await (await client.PostJson("/api/v1/pipelines", new { provider = "aws", name = HttpExtensions.Unique("Pipeline") })).Read<Pipeline>();
        (await client.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = other.Id })).EnsureSuccessStatusCode();
        var key = Guid.NewGuid().ToString("N");
        using var trigger = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/pipelines/{pipeline.Id}/runs") { Headers = { { "Idempotency-Key", key } } };
        var first = await At<PipelineRun>(await client.SendAsync(trigger), HttpStatusCode.Accepted, r => $"/api/v1/pipeline-runs/{r.Id}");
        using var again = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/pipelines/{pipeline.Id}/runs") { Headers = { { "Idempotency-Key", key } } };
        await At<PipelineRun>(await client.SendAsync(again), HttpStatusCode.OK, _ => $"/api/v1/pipeline-runs/{first.Id}");
        (await client.PostEmpty($"/api/v1/pipeline-runs/{first.Id}/cancel")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
