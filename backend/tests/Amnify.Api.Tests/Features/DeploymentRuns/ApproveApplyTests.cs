using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Tests.Features.Templates;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[Collection(nameof(DeploymentRunsCollection))]
public sealed class ApproveApplyTests(ApiFactory factory) : DeploymentRunsTestBase(factory)
{
    [Fact]
    public async Task A_failing_apply_ends_failed_with_the_message()
    {
        var deployment = await client.Deployment("aws", "database", new() { ["name"] = "db", ["admin_password"] = "pw-123", ["fail_apply"] = true });

        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await client.Approve(run.Id, "approve-plan");
        await client.Approve(run.Id, "approve-apply");
        var failed = await WaitForFinal(run.Id);

        failed.Status.Should().Be(RunStatus.Failed);
        failed.Error.Should().Contain("simulated failure");
        failed.ApplyStartedAt.Should().NotBeNull();
    }
}
