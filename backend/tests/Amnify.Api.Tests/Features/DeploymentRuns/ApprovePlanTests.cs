using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Tests.Features.Templates;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[Collection(nameof(DeploymentRunsCollection))]
public sealed class ApprovePlanTests(ApiFactory factory) : DeploymentRunsTestBase(factory)
{
    [Fact]
    public async Task Approvals_out_of_turn_answer_409_naming_the_current_state()
    {
        var deployment = await client.Deployment("aws", "network");
        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);

        var early = await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-apply");
        early.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await early.ReadProblem()).Detail.Should().Contain("awaitingPlanApproval");

        await client.Approve(run.Id, "approve-plan");
        var twice = await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-plan");
        (await twice.ReadProblem()).Detail.Should().Contain("awaitingApplyApproval");
        (await client.PostEmpty($"/api/v1/deployment-runs/{Guid.CreateVersion7()}/approve-plan")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
