using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Tests.Features.Access;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

/// <summary>The apply gate under an approval policy: counts by distinct user id, and each distinctness rule on its own.</summary>
[Collection(nameof(ApprovalsCollection))]
public sealed class ApproveApplyTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient admin = api.CreateClient();

    public Task InitializeAsync() => admin.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Apply_approvals_are_counted_by_distinct_people_and_the_triggerer_is_refused_when_the_policy_says_so()
    {
        var triggerer = await api.Person("approver");
        var first = await api.Person("approver");
        var second = await api.Person("approver");
        var deployment = await admin.DeploymentWithPolicy(new { applyApprovals = 2, distinctFromTrigger = true });
        var run = await triggerer.Client.AtPlanGate(deployment.Id);
        await triggerer.Client.Approve(run.Id, "approve-plan");

        var own = await triggerer.Client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-apply");
        own.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await own.ReadProblem()).Detail.Should().StartWith("Another approver is needed: you triggered this run");

        (await first.Client.Approve(run.Id, "approve-apply")).ApprovalProgress!.Text.Should().Be("1 of 2 approvals");
        (await first.Client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-apply")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await second.Client.Approve(run.Id, "approve-apply")).Status.Should().Be(RunStatus.Applying);
        await admin.WaitFor(run.Id, RunStatus.Completed);
    }

    [Fact]
    public async Task Distinct_between_gates_refuses_a_plan_approver_but_lets_the_triggerer_approve_the_apply()
    {
        var triggerer = await api.Person("approver");
        var planApprover = await api.Person("approver");
        var deployment = await admin.DeploymentWithPolicy(new { distinctBetweenGates = true });
        var run = await triggerer.Client.AtPlanGate(deployment.Id);
        await planApprover.Client.Approve(run.Id, "approve-plan");

        (await planApprover.Client.Run(run.Id)).Actions.Blocked.ApproveApply.Should().Be("Another approver is needed: you approved its plan");
        (await planApprover.Client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-apply")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await triggerer.Client.Approve(run.Id, "approve-apply")).Status.Should().Be(RunStatus.Applying);
        await admin.WaitFor(run.Id, RunStatus.Completed);
    }

    [Fact]
    public async Task A_failing_apply_ends_failed_with_the_message()
    {
        var deployment = await admin.Deployment("aws", "database", new() { ["name"] = "db", ["admin_password"] = "pw-123", ["fail_apply"] = true });

        var run = await admin.Trigger(deployment.Id);
        await admin.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await admin.Approve(run.Id, "approve-plan");
        await admin.Approve(run.Id, "approve-apply");
        var failed = await admin.WaitFor(run.Id, RunStatus.Failed);

        failed.Status.Should().Be(RunStatus.Failed);
        failed.Error.Should().Contain("simulated failure");
        failed.ApplyStartedAt.Should().NotBeNull();
    }
}
