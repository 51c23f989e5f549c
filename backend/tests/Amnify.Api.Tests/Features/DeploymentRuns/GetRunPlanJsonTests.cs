using System.Net;
using System.Text.Json;
using Amnify.Api.Engine;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Terraform;
using Amnify.Api.Tests.Features.Templates;
using Dapper;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[CollectionDefinition(nameof(GetRunPlanJsonCollection))]
public sealed class GetRunPlanJsonCollection : ICollectionFixture<ApiFactory>;

/// <summary>The structured plan of a run, from the plan Terraform really made: what changes, attribute by attribute, secrets masked.</summary>
[Collection(nameof(GetRunPlanJsonCollection))]
public sealed class GetRunPlanJsonTests(ApiFactory api) : IAsyncLifetime
{
    private const string TemplateId = "plan-json-probe";
    private readonly TemplateFolder folder = new();
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        folder.Add("aws", TemplateId, new
        {
            id = TemplateId, name = "Plan probe", description = "a number and a secret", category = "infrastructure",
            cloud_provider = "aws", iac_type = "terraform",
            variables = new object[]
            {
                new { name = "replicas", type = "number", required = true },
                new { name = "password", type = "string", required = true, sensitive = true },
            },
        }, """
            variable "replicas" { type = number }
            variable "password" { type = string }

            resource "terraform_data" "app" {
              input = var.replicas
            }

            resource "terraform_data" "credentials" {
              input = var.password
            }

            output "replicas" { value = var.replicas }
            """);
        client = api.WithWebHostBuilder(b => b.UseSetting("Templates:Source", folder.Root)).CreateClient();
        await client.SyncExamples();
    }

    public Task DisposeAsync()
    {
        folder.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_changed_variable_shows_its_attribute_before_and_after()
    {
        var deployment = await Deploy(replicas: 3, password: Secret());
        await client.RunThrough(deployment.Id);
        (await client.PatchJson($"/api/v1/deployments/{deployment.Id}", new { variables = new { replicas = 4 } })).EnsureSuccessStatusCode();

        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        var plan = await PlanJson(run.Id);

        var app = plan.ResourceChanges.Should().ContainSingle(r => r.Address == "terraform_data.app").Subject;
        app.Action.Should().Be("update");
        var input = app.Attributes.Should().ContainSingle(a => a.Path == "input").Subject;
        (input.Before?.GetInt32(), input.After?.GetInt32(), input.Sensitive).Should().Be((3, 4, false));
        app.Attributes.Should().ContainSingle(a => a.Path == "output").Which.AfterUnknown.Should().BeTrue();
        plan.ResourceChanges.Should().ContainSingle(r => r.Address == "terraform_data.credentials").Which.Action.Should().Be("no-op");
        var output = plan.OutputChanges.Should().ContainSingle(o => o.Name == "replicas").Subject;
        (output.Action, output.Before?.GetInt32(), output.After?.GetInt32()).Should().Be(("update", 3, 4));
    }

    [Fact]
    public async Task A_create_lists_its_attributes()
    {
        var deployment = await Deploy(replicas: 2, password: Secret());

        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        var plan = await PlanJson(run.Id);

        plan.ResourceChanges.Select(r => (r.Address, r.Type, r.Name, r.Action)).Should().BeEquivalentTo(new[]
        {
            ("terraform_data.app", "terraform_data", "app", "create"),
            ("terraform_data.credentials", "terraform_data", "credentials", "create"),
        });
        var app = plan.ResourceChanges.Single(r => r.Address == "terraform_data.app");
        app.ModuleAddress.Should().BeNull();
        app.Attributes.Select(a => a.Path).Should().Contain(["id", "input", "output"]);
        app.Attributes.Single(a => a.Path == "input").After?.GetInt32().Should().Be(2);
        app.Attributes.Single(a => a.Path == "id").AfterUnknown.Should().BeTrue();
        plan.OutputChanges.Should().ContainSingle(o => o.Name == "replicas").Which.Action.Should().Be("create");
    }

    [Fact]
    public async Task A_sensitive_attribute_is_masked_and_absent_from_the_stored_row()
    {
        var password = Secret();
        var deployment = await Deploy(replicas: 1, password: password);

        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        var answer = await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/plan.json");
        var plan = JsonSerializer.Deserialize<StructuredPlan>(answer, ApiFactory.Json)!;

        var input = plan.ResourceChanges.Single(r => r.Address == "terraform_data.credentials").Attributes.Single(a => a.Path == "input");
        input.Sensitive.Should().BeTrue();
        input.After.Should().BeNull();
        answer.Should().NotContain(password);
        await using var db = await api.OpenDatabase();
        var row = await db.QuerySingleAsync<(string Row, string PlanJson)>(
            "SELECT r::text, r.plan_json::text FROM deployment_runs r WHERE r.id = @Id", new { run.Id });
        row.PlanJson.Should().Contain("terraform_data.credentials", "the structured plan is stored with the run");
        row.Row.Should().NotContain(password);
    }

    [Fact]
    public async Task Before_a_plan_the_answer_is_404()
    {
        var deployment = await Deploy(replicas: 1, password: Secret());
        var first = await client.Trigger(deployment.Id);
        await client.WaitFor(first.Id, RunStatus.AwaitingPlanApproval);

        // The first run holds the deployment while it waits for approval: the second waits in line, unplanned.
        var second = await client.Trigger(deployment.Id);
        await client.WaitFor(second.Id, RunStatus.Pending);
        var response = await client.GetAsync($"/api/v1/deployment-runs/{second.Id}/plan.json");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.ReadProblem()).Detail.Should().Contain("no plan yet");
        (await client.GetAsync($"/api/v1/deployment-runs/{Guid.NewGuid()}/plan.json")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private static string Secret() => "pw-" + Guid.NewGuid().ToString("N");

    private async Task<StructuredPlan> PlanJson(Guid runId)
    {
        var response = await client.GetAsync($"/api/v1/deployment-runs/{runId}/plan.json");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
        return await response.Read<StructuredPlan>();
    }

    private async Task<Deployment> Deploy(int replicas, string password)
    {
        var project = await client.Project("aws");
        var environment = await client.Environment("aws");
        var response = await client.PostJson("/api/v1/deployments", new
        {
            projectId = project.Id, templateId = TemplateId, cloudEnvironmentId = environment.Id, name = HttpExtensions.Unique("plan"),
            variables = new Dictionary<string, object> { ["replicas"] = replicas, ["password"] = password },
        });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Read<Deployment>();
    }
}
