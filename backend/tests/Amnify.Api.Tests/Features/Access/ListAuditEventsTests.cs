using Amnify.Api.Features.Access;
using Amnify.Api.Http;
using Amnify.Api.Engine;

namespace Amnify.Api.Tests.Features.Access;

[CollectionDefinition(nameof(ListAuditEventsCollection))]
public sealed class ListAuditEventsCollection : ICollectionFixture<ApiFactory>;

[Collection(nameof(ListAuditEventsCollection))]
public sealed class ListAuditEventsTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient admin = api.CreateClient();

    public Task InitializeAsync() => admin.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<AuditEvent[]> Events(string query) =>
        (await (await admin.GetAsync($"/api/v1/audit-events?{query}")).Read<Page<AuditEvent>>()).Items.ToArray();

    [Fact]
    public async Task An_event_names_its_resource_as_it_is_called_now_with_its_provider()
    {
        var project = await admin.Project("gcp");
        var renamed = HttpExtensions.Unique("Renamed");
        (await admin.PatchJson($"/api/v1/projects/{project.Id}", new { name = renamed })).EnsureSuccessStatusCode();

        var events = await Events($"resourceType=project&resourceId={project.Id}");

        events.Select(e => e.Action).Should().Equal("project.update", "project.create");
        events.Should().OnlyContain(e => e.ResourceName == renamed && e.ResourceProvider == "gcp");
    }

    [Fact]
    public async Task A_deployment_runs_event_names_its_deployment()
    {
        var deployment = await admin.Deployment("aws", "network");
        var run = await admin.Trigger(deployment.Id);

        var trigger = (await Events($"resourceType=deploymentRun&resourceId={run.Id}")).Single();

        trigger.ResourceName.Should().Be(deployment.Name);
        trigger.ResourceProvider.Should().Be("aws");
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task A_deleted_resource_has_no_name()
    {
        var project = await admin.Project("aws");
        (await admin.DeleteAsync($"/api/v1/projects/{project.Id}")).EnsureSuccessStatusCode();

        (await Events($"resourceType=project&resourceId={project.Id}")).Should().OnlyContain(e => e.ResourceName == null && e.ResourceProvider == null);
    }

    [Fact]
    public async Task Filtering_by_action_answers_only_that_action()
    {
        var project = await admin.Project("aws");
        (await admin.PatchJson($"/api/v1/projects/{project.Id}", new { description = "changed" })).EnsureSuccessStatusCode();

        var events = await Events($"action=project.update&resourceId={project.Id}");

        events.Should().ContainSingle().Which.Action.Should().Be("project.update");
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
