using System.Net;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Tests.Features.Templates;

namespace Amnify.Api.Tests.Features.Deployments;

[Collection(nameof(DeploymentsCollection))]
public sealed class UpdateDeploymentTests(ApiFactory factory) : DeploymentsTestBase(factory)
{
    [Fact]
    public async Task Patch_keeps_a_sensitive_value_unless_a_new_one_is_given()
    {
        var deployment = await client.Deployment("aws", "database");

        var response = await client.PatchJson($"/api/v1/deployments/{deployment.Id}", new { variables = new { storage_gb = 50 }, description = "bigger" });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var updated = await response.Read<Deployment>();
        updated.SensitiveVariables.Should().Equal("admin_password");
        updated.Variables["storage_gb"].GetInt32().Should().Be(50);
        updated.Description.Should().Be("bigger");

        var cleared = await client.PatchJson($"/api/v1/deployments/{deployment.Id}", new { variables = new Dictionary<string, object?> { ["admin_password"] = null } });
        (await cleared.ReadProblem()).Errors.Should().ContainKey("variables.admin_password");
    }

    [Fact]
    public async Task A_required_variable_added_by_a_template_sync_makes_deployments_need_configuration_until_edited()
    {
        using var folder = new TemplateFolder();
        var id = $"evolving-{Guid.NewGuid():N}"[..20];
        folder.AddValid("aws", id, new { name = "name", type = "string", required = true });
        var sourceClient = api.WithWebHostBuilder(b => b.UseSetting("Templates:Source", folder.Root)).CreateClient();
        await sourceClient.SyncExamples();
        var project = await client.Project("aws");
        var environment = await client.Environment("aws");
        var deployment = await (await client.PostJson("/api/v1/deployments", new
        {
            projectId = project.Id, templateId = id, cloudEnvironmentId = environment.Id, name = "evolving", variables = new { name = "n" },
        })).Read<Deployment>();

        folder.AddValid("aws", id, new { name = "name", type = "string", required = true }, new { name = "owner", type = "string", required = true });
        await sourceClient.SyncExamples();

        var stale = await (await client.GetAsync($"/api/v1/deployments/{deployment.Id}")).Read<Deployment>();
        stale.Status.Should().Be(DeploymentStatus.NeedsConfiguration);
        stale.MissingVariables.Should().Equal("owner");

        var fixedUp = await (await client.PatchJson($"/api/v1/deployments/{deployment.Id}", new { variables = new { owner = "team-a" } })).Read<Deployment>();
        fixedUp.Status.Should().Be(DeploymentStatus.NeverDeployed);
        fixedUp.MissingVariables.Should().BeEmpty();
        await client.SyncExamples(); // put the examples back for the other tests of this collection
    }
}
