using Amnify.Api.Features.Access;
using Dapper;

namespace Amnify.Api.Tests.Features.Access;

[Collection(nameof(ListAuditEventsCollection))]
public sealed class ListAuditActionsTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient admin = api.CreateClient();

    public Task InitializeAsync() => admin.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_action_the_audit_log_holds_is_in_the_served_list()
    {
        var project = await admin.Project("aws");
        (await admin.PatchJson($"/api/v1/projects/{project.Id}", new { description = "changed" })).EnsureSuccessStatusCode();
        var deployment = await admin.Deployment("aws", "network");
        var run = await admin.Trigger(deployment.Id);
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
        await using var connection = await api.OpenDatabase();
        var recorded = (await connection.QueryAsync<string>("SELECT DISTINCT action FROM audit_events")).ToArray();

        var served = (await (await admin.GetAsync("/api/v1/audit-events/actions")).Read<AuditActionList>()).Actions;

        recorded.Should().Contain(["project.update", "deploymentRun.trigger.execute", "deploymentRun.cancel"]);
        served.Should().Contain(recorded).And.OnlyHaveUniqueItems();
    }
}
