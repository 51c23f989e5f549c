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

[Collection(nameof(AccessCollection))]
public sealed class ListAuditEventsTests(ApiFactory factory) : AccessTestBase(factory)
{
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
