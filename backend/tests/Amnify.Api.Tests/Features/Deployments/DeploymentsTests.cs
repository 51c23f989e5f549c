using System.Net;
using System.Text.Json;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Http;
using Amnify.Api.Tests.Features.Templates;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Amnify.Api.Tests.Features.Deployments;

[CollectionDefinition(nameof(DeploymentsCollection))]
public sealed class DeploymentsCollection : ICollectionFixture<ApiFactory>;

[Collection(nameof(DeploymentsCollection))]
public sealed class DeploymentsTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpResponseMessage> Create(string provider, string template, object variables, Guid? environmentId = null, Guid? projectId = null)
    {
        projectId ??= (await client.Project(provider)).Id;
        environmentId ??= (await client.Environment(provider, "eu-north-1")).Id;
        return await client.PostJson("/api/v1/deployments", new
        {
            projectId, templateId = $"{provider}-{template}", cloudEnvironmentId = environmentId,
            name = HttpExtensions.Unique("dep"), variables, tags = new[] { "team-a" },
        });
    }

    [Fact]
    public async Task A_deployment_is_created_with_defaults_and_its_region_from_the_cloud_environment()
    {
        var response = await Create("aws", "network", new { name = "core" });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var deployment = await response.Read<Deployment>();
        response.Headers.Location!.ToString().Should().Be($"/api/v1/deployments/{deployment.Id}");
        deployment.Variables["region"].GetString().Should().Be("eu-north-1");
        deployment.Variables["name"].GetString().Should().Be("core");
        deployment.Status.Should().Be(DeploymentStatus.NeverDeployed);
        deployment.TemplateName.Should().NotBeEmpty();
    }

    [Fact]
    public async Task Sensitive_values_are_never_returned_and_stored_only_encrypted()
    {
        var secret = $"pw-{Guid.NewGuid():N}";
        var response = await Create("gcp", "database", new { name = "db", admin_password = secret });
        var body = await response.Content.ReadAsStringAsync();
        var deployment = JsonSerializer.Deserialize<Deployment>(body, ApiFactory.Json)!;

        body.Should().NotContain(secret);
        deployment.SensitiveVariables.Should().Equal("admin_password");
        deployment.Variables.Should().NotContainKey("admin_password");
        (await client.GetStringAsync($"/api/v1/deployments/{deployment.Id}")).Should().NotContain(secret);
        (await client.GetStringAsync("/api/v1/deployments?limit=200")).Should().NotContain(secret);
        (await api.DatabaseContains(secret)).Should().BeFalse();
    }

    [Fact]
    public async Task Every_bad_value_is_reported_at_once_under_its_own_field()
    {
        var response = await Create("aws", "network", new
        {
            cidr = 42,
            subnets = new object[] { new { name = "a", cidr = true, colour = "red" }, "not an object", new { name = "c" } },
            bogus = "x",
        });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ReadProblem()).Errors.Should().ContainKeys(
            "variables.name", "variables.cidr", "variables.subnets[0].cidr", "variables.subnets[0].colour",
            "variables.subnets[1]", "variables.subnets[2].cidr", "variables.bogus");
    }

    [Fact]
    public async Task Options_and_min_items_are_enforced()
    {
        var badOption = await Create("azure", "database", new { name = "db", admin_password = "x", engine_version = "9" });
        (await badOption.ReadProblem()).Errors!["variables.engine_version"].Single().Should().Contain("14, 15, 16, 17");

        var empty = await Create("azure", "network", new { name = "n", subnets = Array.Empty<object>() });
        (await empty.ReadProblem()).Errors!["variables.subnets"].Single().Should().Contain("at least 1");
    }

    [Fact]
    public async Task References_to_missing_or_other_provider_resources_are_field_errors()
    {
        var gcpEnvironment = await client.Environment("gcp");
        var otherProvider = await Create("aws", "network", new { name = "n" }, environmentId: gcpEnvironment.Id);
        (await otherProvider.ReadProblem()).Errors.Should().ContainKey("cloudEnvironmentId");

        var missing = await client.PostJson("/api/v1/deployments", new
        {
            projectId = Guid.CreateVersion7(), templateId = "aws-network", cloudEnvironmentId = Guid.CreateVersion7(), name = "x",
        });
        missing.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await missing.ReadProblem()).Errors.Should().ContainKey("projectId");
    }

    [Fact]
    public async Task Names_are_unique_within_a_project()
    {
        var first = await client.Deployment();
        var response = await client.PostJson("/api/v1/deployments", new
        {
            projectId = first.ProjectId, templateId = "aws-network", cloudEnvironmentId = first.CloudEnvironmentId,
            name = first.Name.ToUpperInvariant(), variables = new { name = "n" },
        });

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

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

    [Fact]
    public async Task Lists_filter_by_project_and_search_the_name()
    {
        var first = await client.Deployment("azure");
        await client.Deployment("azure");

        var byProject = await (await client.GetAsync($"/api/v1/deployments?projectId={first.ProjectId}")).Read<Page<Deployment>>();
        byProject.Items.Should().ContainSingle().Which.Id.Should().Be(first.Id);

        var bySearch = await (await client.GetAsync($"/api/v1/deployments?provider=azure&q={first.Name[^8..]}")).Read<Page<Deployment>>();
        bySearch.Items.Should().ContainSingle().Which.Id.Should().Be(first.Id);
    }

    [Fact]
    public async Task A_deployment_with_infrastructure_cannot_be_deleted_and_one_without_can()
    {
        var deployment = await client.Deployment();
        await using (var db = await api.OpenDatabase())
            await Dapper.SqlMapper.ExecuteAsync(db, "UPDATE deployments SET has_infrastructure = true WHERE id = @id", new { id = deployment.Id });

        var refused = await client.DeleteAsync($"/api/v1/deployments/{deployment.Id}");
        refused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await refused.ReadProblem()).Detail.Should().Contain("destroy");

        var other = await client.Deployment();
        (await client.DeleteAsync($"/api/v1/deployments/{other.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_project_or_cloud_environment_in_use_cannot_be_deleted()
    {
        var deployment = await client.Deployment();

        (await client.DeleteAsync($"/api/v1/projects/{deployment.ProjectId}")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await client.DeleteAsync($"/api/v1/cloud-environments/{deployment.CloudEnvironmentId}")).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }
}
