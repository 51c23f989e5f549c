using System.Net;
using System.Text.Json;
using Amnify.Api.Features.Deployments;

namespace Amnify.Api.Tests.Features.Deployments;

[Collection(nameof(DeploymentsCollection))]
public sealed class CreateDeploymentTests(ApiFactory factory) : DeploymentsTestBase(factory)
{
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
}
