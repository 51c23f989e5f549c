using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.Access;
using Amnify.Api.Http;
using Amnify.Api.Tests.Features.Access;
using Dapper;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

/// <summary>The plan gate under an approval policy: counts by distinct people, the approver role, an admin's extra approval for destroying plans, the plan reviewed.</summary>
[Collection(nameof(ApprovalsCollection))]
public sealed class ApprovePlanTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient admin = api.CreateClient();

    public Task InitializeAsync() => admin.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Two_required_approvals_wait_for_a_second_person_and_the_first_sees_1_of_2()
    {
        var first = await api.Person("approver");
        var second = await api.Person("approver");
        var deployment = await admin.DeploymentWithPolicy(new { planApprovals = 2 });
        var run = await admin.AtPlanGate(deployment.Id);

        var once = await first.Client.ApproveWith(run.Id, "approve-plan", "looks right");

        once.Status.Should().Be(RunStatus.AwaitingPlanApproval);
        once.ApprovalProgress!.Text.Should().Be("1 of 2 approvals");
        once.Actions.ApprovePlan.Should().BeFalse();
        once.Actions.Blocked.ApprovePlan.Should().Be("Another approver is needed: you approved (1 of 2 approvals)");
        (await second.Client.Run(run.Id)).Actions.ApprovePlan.Should().BeTrue();

        var passed = await second.Client.ApproveWith(run.Id, "approve-plan");

        passed.Status.Should().Be(RunStatus.AwaitingApplyApproval);
        passed.Approvals.Select(a => (a.Gate, a.Decision, a.UserId, a.Comment)).Should().Equal(
            (ApprovalGate.Plan, ApprovalDecision.Approved, first.Id, "looks right"),
            (ApprovalGate.Plan, ApprovalDecision.Approved, (Guid?)second.Id, (string?)null));
        passed.Approvals.Should().OnlyContain(a => a.PlanSha256 == run.PlanSha256);
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task The_same_person_cannot_approve_a_gate_twice()
    {
        var approver = await api.Person("approver");
        var deployment = await admin.DeploymentWithPolicy(new { planApprovals = 2 });
        var run = await admin.AtPlanGate(deployment.Id);
        await approver.Client.Approve(run.Id, "approve-plan");

        var again = await approver.Client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-plan");

        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await again.ReadProblem()).Detail.Should().Contain("1 of 2 approvals");
        (await admin.Run(run.Id)).Approvals.Should().ContainSingle();
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task Approvers_racing_for_two_places_fill_exactly_two_and_the_gate_passes_once()
    {
        var people = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => api.Person("approver")));
        var deployment = await admin.DeploymentWithPolicy(new { planApprovals = 2 });
        var run = await admin.AtPlanGate(deployment.Id);

        var answers = await Task.WhenAll(people.Select(p => p.Client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-plan")));

        answers.Count(a => a.StatusCode == HttpStatusCode.OK).Should().Be(2, "two places, whoever is first");
        answers.Where(a => a.StatusCode != HttpStatusCode.OK).Should().OnlyContain(a => a.StatusCode == HttpStatusCode.Conflict);
        var now = await admin.Run(run.Id);
        now.Status.Should().Be(RunStatus.AwaitingApplyApproval);
        now.Approvals.Select(a => a.UserId).Should().HaveCount(2).And.OnlyHaveUniqueItems();
        await using var db = await api.OpenDatabase();
        (await db.ExecuteScalarAsync<int>("SELECT count(*) FROM run_events WHERE run_id = @Id AND kind = 'status' AND text = 'awaitingApplyApproval'", new { run.Id }))
            .Should().Be(1);
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task One_person_pressing_twice_at_once_counts_once()
    {
        var approver = await api.Person("approver");
        var deployment = await admin.DeploymentWithPolicy(new { planApprovals = 2 });
        var run = await admin.AtPlanGate(deployment.Id);

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => approver.Client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-plan")));

        answers.Count(a => a.StatusCode == HttpStatusCode.OK).Should().Be(1);
        var now = await admin.Run(run.Id);
        now.Status.Should().Be(RunStatus.AwaitingPlanApproval, "one person is one approval of the two");
        now.Approvals.Should().ContainSingle();
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task A_policy_for_admins_refuses_an_approver_and_accepts_an_admin()
    {
        var approver = await api.Person("approver");
        var adminPerson = await api.Person("admin");
        var deployment = await admin.DeploymentWithPolicy(new { approverRole = "admin" });
        var run = await admin.AtPlanGate(deployment.Id);

        (await approver.Client.Run(run.Id)).Actions.Blocked.ApprovePlan.Should().Be("Needs the admin role");
        var refused = await approver.Client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-plan");

        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await refused.ReadProblem()).Detail.Should().Contain("admin");
        (await admin.Run(run.Id)).Approvals.Should().BeEmpty();
        (await adminPerson.Client.Approve(run.Id, "approve-plan")).Status.Should().Be(RunStatus.AwaitingApplyApproval);
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task A_plan_hash_that_is_not_the_plan_awaiting_approval_answers_409_and_changes_nothing()
    {
        var approver = await api.Person("approver");
        var deployment = await admin.Deployment("aws", "network");
        var run = await admin.AtPlanGate(deployment.Id);
        run.PlanSha256.Should().MatchRegex("^[0-9a-f]{64}$");

        var stale = await approver.Client.Decide(run.Id, "approve-plan", new { comment = "ok", planSha256 = new string('a', 64) });

        stale.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await stale.ReadProblem()).Detail.Should().Contain("The plan you reviewed is not the plan awaiting approval");
        var unchanged = await admin.Run(run.Id);
        unchanged.Status.Should().Be(RunStatus.AwaitingPlanApproval);
        unchanged.Approvals.Should().BeEmpty();

        var bound = await approver.Client.ApproveWith(run.Id, "approve-plan", "ok", run.PlanSha256!.ToUpperInvariant());
        bound.Approvals.Single().PlanSha256.Should().Be(run.PlanSha256);
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task A_plan_hash_that_is_not_a_SHA_256_answers_400_naming_the_field()
    {
        var deployment = await admin.Deployment("aws", "network");
        var run = await admin.AtPlanGate(deployment.Id);

        var response = await admin.Decide(run.Id, "approve-plan", new { planSha256 = "abc123" });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.ReadProblem()).Errors.Should().ContainKey("planSha256");
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task The_policy_snapshotted_at_trigger_survives_a_change_of_the_environment_mid_run()
    {
        var first = await api.Person("approver");
        var deployment = await admin.DeploymentWithPolicy(new { planApprovals = 2 });
        var run = await admin.AtPlanGate(deployment.Id);

        await admin.SetEnvironmentPolicy(deployment.CloudEnvironmentId, new { planApprovals = 1 });
        var after = await first.Client.ApproveWith(run.Id, "approve-plan");

        after.Policy.PlanApprovals.Should().Be(2);
        after.Status.Should().Be(RunStatus.AwaitingPlanApproval, "the run keeps the policy it was triggered under");
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
        var later = await admin.AtPlanGate(deployment.Id);
        later.Policy.PlanApprovals.Should().Be(1);
        (await first.Client.Approve(later.Id, "approve-plan")).Status.Should().Be(RunStatus.AwaitingApplyApproval);
        await admin.PostEmpty($"/api/v1/deployment-runs/{later.Id}/cancel");
    }

    [Fact]
    public async Task A_destroying_plan_needs_one_more_approval_and_the_last_place_is_kept_for_an_admin()
    {
        var approver = await api.Person("approver");
        var another = await api.Person("approver");
        var adminPerson = await api.Person("admin");
        var deployment = await admin.DeploymentWithPolicy(new { extraApprovalOnDestroy = true });
        var created = await admin.AtPlanGate(deployment.Id);
        (await approver.Client.Approve(created.Id, "approve-plan")).Status.Should().Be(RunStatus.AwaitingApplyApproval, "a plan that only creates needs no extra");
        await another.Client.Approve(created.Id, "approve-apply");
        await admin.WaitFor(created.Id, RunStatus.Completed);

        var destroy = await admin.AtPlanGate(deployment.Id, "destroy");
        var one = await approver.Client.ApproveWith(destroy.Id, "approve-plan");

        one.Status.Should().Be(RunStatus.AwaitingPlanApproval);
        one.ApprovalProgress!.Text.Should().Be("1 of 2 approvals, one from an admin");
        (await another.Client.Run(destroy.Id)).Actions.Blocked.ApprovePlan.Should().StartWith("An admin must give the remaining approval");
        (await another.Client.PostEmpty($"/api/v1/deployment-runs/{destroy.Id}/approve-plan")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await adminPerson.Client.Approve(destroy.Id, "approve-plan")).Status.Should().Be(RunStatus.AwaitingApplyApproval);
        await admin.PostEmpty($"/api/v1/deployment-runs/{destroy.Id}/cancel");
    }

    [Fact]
    public async Task The_audit_log_records_the_gate_the_decision_the_plan_and_the_comment()
    {
        var approver = await api.Person("approver");
        var deployment = await admin.Deployment("aws", "network");
        var run = await admin.AtPlanGate(deployment.Id);

        await approver.Client.ApproveWith(run.Id, "approve-plan", "reviewed the subnets", run.PlanSha256);

        var events = (await (await admin.GetAsync($"/api/v1/audit-events?resourceType=deploymentRun&resourceId={run.Id}&action=deploymentRun.approvePlan"))
            .Read<Page<AuditEvent>>()).Items;
        events.Should().ContainSingle().Which.Details.Should()
            .Be($"gate: plan; decision: approved; planSha256: {run.PlanSha256}; comment: reviewed the subnets");
        events.Single().Actor.Should().Be(approver.User.Email);
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task Approvals_out_of_turn_answer_409_naming_the_current_state()
    {
        var deployment = await admin.Deployment("aws", "network");
        var run = await admin.Trigger(deployment.Id);
        await admin.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);

        var early = await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-apply");
        early.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await early.ReadProblem()).Detail.Should().Contain("awaitingPlanApproval");

        await admin.Approve(run.Id, "approve-plan");
        var twice = await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-plan");
        (await twice.ReadProblem()).Detail.Should().Contain("awaitingApplyApproval");
        (await admin.PostEmpty($"/api/v1/deployment-runs/{Guid.CreateVersion7()}/approve-plan")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
