using Amnify.Api.Features.Deployments;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[Collection(nameof(DeploymentRunsCollection))]
public sealed class GetRunLogTests(ApiFactory factory) : DeploymentRunsTestBase(factory)
{
    [Fact]
    public async Task Secrets_appear_in_no_log_event_plan_or_answer()
    {
        var password = $"pw-{Guid.NewGuid():N}";
        var environment = await client.Environment("aws");
        var project = await client.Project("aws");
        var credential = $"cred-{Guid.NewGuid():N}";
        await client.PatchJson($"/api/v1/cloud-environments/{environment.Id}", new { credentials = new Dictionary<string, string> { ["AWS_SECRET_ACCESS_KEY"] = credential } });
        var deployment = await (await client.PostJson("/api/v1/deployments", new
        {
            projectId = project.Id, templateId = "aws-database", cloudEnvironmentId = environment.Id, name = "secretive",
            variables = new Dictionary<string, object> { ["name"] = "db", ["admin_password"] = password },
        })).Read<Deployment>();

        var run = await client.RunThrough(deployment.Id);

        var seen = string.Join("\n",
            await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}"),
            await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/log"),
            await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/plan"),
            await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/events"),
            await client.GetStringAsync($"/api/v1/deployments/{deployment.Id}/runs"));
        seen.Should().NotContain(password).And.NotContain(credential);
        run.Outputs!["connection_string"].Sensitive.Should().BeTrue();
        (await api.DatabaseContains(password)).Should().BeFalse();
        (await api.DatabaseContains(credential)).Should().BeFalse();
    }
}
