using System.Net;
using Amnify.Api.Engine;
using Amnify.Api.Features.Access;
using Amnify.Api.Features.Deployments;
using Amnify.Api.Features.PipelineRuns;
using Amnify.Api.Features.Pipelines;
using Amnify.Api.Http;
using Amnify.Api.Tests.Features.Access;
using Dapper;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[CollectionDefinition(nameof(FourEyesCollection))]
public sealed class FourEyesCollection : ICollectionFixture<ApiFactory>;

/// <summary>
/// Four-eyes as an attacker tries it: the rule is the one snapshotted on the run at trigger, only admins may change a
/// deployment's rule, and people are told apart by user id — a CI token counts as its owner.
/// </summary>
[Collection(nameof(FourEyesCollection))]
public sealed class FourEyesTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient admin = api.CreateClient();

    public Task InitializeAsync() => admin.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Deployment> FourEyesDeployment()
    {
        var deployment = await admin.Deployment("aws", "network");
        (await admin.PatchJson($"/api/v1/deployments/{deployment.Id}", new { requireDistinctApprover = true })).EnsureSuccessStatusCode();
        return deployment;
    }

    private async Task<AuditEvent[]> DeploymentAudit(Guid deploymentId) =>
        (await (await admin.GetAsync($"/api/v1/audit-events?resourceType=deployment&resourceId={deploymentId}&action=deployment.update"))
            .Read<Page<AuditEvent>>()).Items.ToArray();

    [Fact]
    public async Task An_approver_cannot_switch_four_eyes_off_mid_run_to_approve_their_own_apply()
    {
        var approver = await api.Person("approver");
        var deployment = await FourEyesDeployment();
        var run = await approver.Client.Trigger(deployment.Id);
        await approver.Client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await approver.Client.Approve(run.Id, "approve-plan");

        var toggle = await approver.Client.PatchJson($"/api/v1/deployments/{deployment.Id}", new { requireDistinctApprover = false });

        toggle.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await toggle.ReadProblem()).Detail.Should().Contain("requireDistinctApprover");
        (await (await admin.GetAsync($"/api/v1/deployments/{deployment.Id}")).Read<Deployment>()).RequireDistinctApprover.Should().BeTrue();
        (await approver.Client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-apply")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await approver.Client.Run(run.Id)).Status.Should().Be(RunStatus.AwaitingApplyApproval);
        (await DeploymentAudit(deployment.Id)).Should().ContainSingle("only the admin's change happened")
            .Which.Details.Should().Be("requireDistinctApprover: false → true");
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }

    [Fact]
    public async Task An_admin_changing_the_rule_mid_run_changes_only_later_runs_and_the_audit_says_old_and_new()
    {
        var approver = await api.Person("approver");
        var other = await api.Person("approver");
        var deployment = await FourEyesDeployment();
        var run = await approver.Client.Trigger(deployment.Id);
        run.RequireDistinctApprover.Should().BeTrue();
        await approver.Client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await approver.Client.Approve(run.Id, "approve-plan");

        var off = await admin.PatchJson($"/api/v1/deployments/{deployment.Id}", new { requireDistinctApprover = false, description = "loosened" });

        off.StatusCode.Should().Be(HttpStatusCode.OK);
        (await off.Read<Deployment>()).RequireDistinctApprover.Should().BeFalse();
        var running = await approver.Client.Run(run.Id);
        running.RequireDistinctApprover.Should().BeTrue("the run keeps the rule it was triggered under");
        running.Actions.ApproveApply.Should().BeFalse();
        (await approver.Client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-apply")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await DeploymentAudit(deployment.Id)).Select(e => e.Details).Should().BeEquivalentTo(
            ["requireDistinctApprover: false → true", "requireDistinctApprover: true → false; description"]);

        (await other.Client.Approve(run.Id, "approve-apply")).ApplyApprovedBy.Should().Be(other.User.Email);
        await admin.WaitFor(run.Id, RunStatus.Completed);

        // A run triggered after the change takes the new rule: its triggerer may now give both approvals.
        (await admin.PatchJson($"/api/v1/deployments/{deployment.Id}", new { variables = new { name = "net-2" } })).EnsureSuccessStatusCode();
        var later = await approver.Client.Trigger(deployment.Id);
        later.RequireDistinctApprover.Should().BeFalse();
        await approver.Client.WaitFor(later.Id, RunStatus.AwaitingPlanApproval);
        await approver.Client.Approve(later.Id, "approve-plan");
        await approver.Client.Approve(later.Id, "approve-apply");
        await admin.WaitFor(later.Id, RunStatus.Completed);
    }

    [Fact]
    public async Task Switching_four_eyes_on_mid_run_does_not_block_the_run_that_was_triggered_without_it()
    {
        var approver = await api.Person("approver");
        var deployment = await admin.Deployment("aws", "network");
        var run = await approver.Client.Trigger(deployment.Id);
        await approver.Client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);

        (await admin.PatchJson($"/api/v1/deployments/{deployment.Id}", new { requireDistinctApprover = true })).EnsureSuccessStatusCode();

        await approver.Client.Approve(run.Id, "approve-plan");
        (await approver.Client.Approve(run.Id, "approve-apply")).RequireDistinctApprover.Should().BeFalse();
        await admin.WaitFor(run.Id, RunStatus.Completed);
    }

    [Fact]
    public async Task Operators_edit_other_fields_and_may_resend_the_rule_unchanged_but_not_change_it()
    {
        var operatorUser = await api.Person("operator");
        var deployment = await FourEyesDeployment();

        var edit = await operatorUser.Client.PatchJson($"/api/v1/deployments/{deployment.Id}",
            new { description = "edited by an operator", requireDistinctApprover = true });
        var change = await operatorUser.Client.PatchJson($"/api/v1/deployments/{deployment.Id}",
            new { description = "and switched off", requireDistinctApprover = false });

        edit.StatusCode.Should().Be(HttpStatusCode.OK);
        (await edit.Read<Deployment>()).Description.Should().Be("edited by an operator");
        change.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await change.ReadProblem()).Detail.Should().Contain("requireDistinctApprover");
        var now = await (await admin.GetAsync($"/api/v1/deployments/{deployment.Id}")).Read<Deployment>();
        now.Description.Should().Be("edited by an operator", "a refused change changes nothing");
        now.RequireDistinctApprover.Should().BeTrue();
        (await DeploymentAudit(deployment.Id)).Select(e => e.Details).Should().BeEquivalentTo(
            ["requireDistinctApprover: false → true", "description"]);
    }

    [Fact]
    public async Task Two_people_with_the_same_display_name_are_distinct_approvers()
    {
        var first = await api.Person("approver", "Sam Same");
        var second = await api.Person("approver", "Sam Same");
        var deployment = await FourEyesDeployment();
        var run = await first.Client.Trigger(deployment.Id);
        await first.Client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await first.Client.Approve(run.Id, "approve-plan");

        (await first.Client.Run(run.Id)).Actions.ApproveApply.Should().BeFalse();
        (await second.Client.Run(run.Id)).Actions.ApproveApply.Should().BeTrue();
        var approved = await second.Client.Approve(run.Id, "approve-apply");

        approved.PlanApprovedBy.Should().Be(first.User.Email);
        approved.ApplyApprovedBy.Should().Be(second.User.Email);
        await admin.WaitFor(run.Id, RunStatus.Completed);
    }

    [Fact]
    public async Task The_owner_of_the_CI_token_that_triggered_a_run_cannot_approve_its_apply()
    {
        var owner = await api.Person("approver");
        var planApprover = await api.Person("approver");
        var applyApprover = await api.Person("approver");
        var deployment = await FourEyesDeployment();
        var pipeline = await (await admin.PostJson("/api/v1/pipelines", new { provider = "aws", name = HttpExtensions.Unique("CI") })).Read<Pipeline>();
        (await admin.PostJson($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = deployment.Id })).EnsureSuccessStatusCode();
        var token = await (await owner.Client.PostJson("/api/v1/tokens", new { name = "deploy-job", kind = "pipeline", pipelineId = pipeline.Id }))
            .Read<CreatedApiToken>();
        var ci = api.WithToken(token.Token);

        var pipelineRun = await (await ci.PostEmpty($"/api/v1/pipelines/{pipeline.Id}/runs")).Read<PipelineRun>();
        var runId = pipelineRun.Steps[0].DeploymentRunId!.Value;
        var run = await admin.WaitFor(runId, RunStatus.AwaitingPlanApproval);
        run.TriggeredBy.Should().Contain("CI token 'deploy-job'");
        run.RequireDistinctApprover.Should().BeTrue();
        await planApprover.Client.Approve(runId, "approve-plan");

        (await owner.Client.Run(runId)).Actions.ApproveApply.Should().BeFalse();
        var refused = await owner.Client.PostEmpty($"/api/v1/deployment-runs/{runId}/approve-apply");
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await refused.ReadProblem()).Detail.Should().Contain("CI token");
        (await planApprover.Client.PostEmpty($"/api/v1/deployment-runs/{runId}/approve-apply")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        await applyApprover.Client.Approve(runId, "approve-apply");
        await admin.WaitFor(runId, RunStatus.Completed);
    }

    [Fact]
    public async Task A_run_already_past_the_gate_answers_409_not_the_four_eyes_refusal()
    {
        var approver = await api.Person("approver");
        var other = await api.Person("approver");
        var deployment = await FourEyesDeployment();
        var run = await approver.Client.Trigger(deployment.Id);
        await approver.Client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);

        (await approver.Client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-apply")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        await approver.Client.Approve(run.Id, "approve-plan");
        await other.Client.Approve(run.Id, "approve-apply");
        (await approver.Client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/approve-apply")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        await admin.WaitFor(run.Id, RunStatus.Completed);
    }

    [Fact]
    public async Task The_migration_gives_earlier_runs_their_deployments_rule_and_user_ids_from_their_names()
    {
        var triggerer = await api.Person("approver");
        var planApprover = await api.Person("approver");
        var deployment = await FourEyesDeployment();
        var run = await triggerer.Client.Trigger(deployment.Id);
        await admin.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await planApprover.Client.Approve(run.Id, "approve-plan");
        await using var db = await api.OpenDatabase();
        // The run as migration 8 found it: a name only (here a CI token's), no snapshot beyond the column's default.
        await db.ExecuteAsync("""
            UPDATE deployment_runs SET approval_policy = DEFAULT, triggered_by = @Name, triggered_by_user_id = NULL, plan_approved_by_user_id = NULL
            WHERE id = @Id;
            UPDATE deployments SET require_distinct_approver = false WHERE id = @DeploymentId;
            """, new { run.Id, DeploymentId = deployment.Id, Name = $"{triggerer.User.Email.ToUpperInvariant()} (CI token 'old job')" });

        await db.ExecuteAsync(Amnify.Api.Database.Migrations.M0008_ApprovalSnapshot.Backfill);

        var row = await db.QuerySingleAsync<(string Policy, Guid? Triggerer, Guid? PlanApprover)>(
            "SELECT approval_policy::text, triggered_by_user_id, plan_approved_by_user_id FROM deployment_runs WHERE id = @Id", new { run.Id });
        row.Policy.Should().Be("""{"requireDistinctApprover": false}""");
        row.Triggerer.Should().Be(triggerer.Id);
        row.PlanApprover.Should().Be(planApprover.Id);
        await admin.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
    }
}
