using Amnify.Api.Auth;
using Amnify.Api.Engine;

namespace Amnify.UnitTests.Auth;

public sealed class RunPermissionsTests
{
    private static readonly Guid Triggerer = Guid.NewGuid(), PlanApprover = Guid.NewGuid(), Someone = Guid.NewGuid(), Other = Guid.NewGuid();
    private static readonly ApprovalPolicy FourEyesPolicy = new() { DistinctFromTrigger = true, DistinctBetweenGates = true };
    private static readonly ApprovalFacts FourEyes = new(FourEyesPolicy, Triggerer, [new GateApproval(ApprovalGate.Plan, PlanApprover, false)], false);

    private static Caller As(Role? role, Guid? id = null) => new(role, id ?? Someone);

    private static ApprovalFacts Fresh(ApprovalPolicy policy, bool destroys = false, params GateApproval[] approvals) => new(policy, Triggerer, approvals, destroys);

    [Fact]
    public void An_approval_is_offered_only_at_its_own_gate()
    {
        RunPermissions.ApprovePlan(As(Role.Approver), RunStatus.AwaitingPlanApproval, Fresh(new())).Should().Be(Permit.Open);
        RunPermissions.ApprovePlan(As(Role.Approver), RunStatus.AwaitingApplyApproval, FourEyes).Should().Be(Permit.Closed);
        RunPermissions.ApproveApply(As(Role.Approver), RunStatus.AwaitingApplyApproval, FourEyes).Should().Be(Permit.Open);
        RunPermissions.ApproveApply(As(Role.Approver), RunStatus.AwaitingPlanApproval, FourEyes).Should().Be(Permit.Closed);
        RunPermissions.ApproveApply(As(Role.Approver), null, FourEyes).Should().Be(Permit.Closed);
    }

    [Fact]
    public void Those_who_act_on_runs_are_told_which_role_approving_needs_and_read_only_callers_nothing()
    {
        RunPermissions.ApprovePlan(As(Role.Operator), RunStatus.AwaitingPlanApproval, Fresh(new())).Should().Be(new Permit(false, "Needs the approver role"));
        RunPermissions.ApproveApply(As(Role.Operator, Someone), RunStatus.AwaitingApplyApproval, FourEyes)
            .Should().Be(new Permit(false, "Needs the approver role"));
        RunPermissions.ApprovePlan(As(Role.Viewer), RunStatus.AwaitingPlanApproval, Fresh(new())).Should().Be(Permit.Closed);
        RunPermissions.ApprovePlan(As(null), RunStatus.AwaitingPlanApproval, Fresh(new())).Should().Be(Permit.Closed, "a pipeline token has no role");
    }

    [Fact]
    public void Four_eyes_tells_the_triggerer_and_the_plan_approver_why_and_lets_anyone_else_approve()
    {
        RunPermissions.ApproveApply(As(Role.Admin, Triggerer), RunStatus.AwaitingApplyApproval, FourEyes)
            .Should().Be(new Permit(false, "Another approver is needed: you triggered this run"));
        RunPermissions.ApproveApply(As(Role.Approver, PlanApprover), RunStatus.AwaitingApplyApproval, FourEyes)
            .Should().Be(new Permit(false, "Another approver is needed: you approved its plan"));
        RunPermissions.ApproveApply(new Caller(Role.Admin, null), RunStatus.AwaitingApplyApproval, FourEyes)
            .Blocked.Should().StartWith("Another approver is needed");
        RunPermissions.ApproveApply(As(Role.Approver, Triggerer), RunStatus.AwaitingApplyApproval, FourEyes with { Policy = new ApprovalPolicy() })
            .Should().Be(Permit.Open);
    }

    [Fact]
    public void Each_distinctness_rule_closes_only_what_it_names()
    {
        var fromTrigger = FourEyes with { Policy = new ApprovalPolicy { DistinctFromTrigger = true } };
        var betweenGates = FourEyes with { Policy = new ApprovalPolicy { DistinctBetweenGates = true } };

        RunPermissions.ApproveApply(As(Role.Approver, Triggerer), RunStatus.AwaitingApplyApproval, fromTrigger).Allowed.Should().BeFalse();
        RunPermissions.ApproveApply(As(Role.Approver, PlanApprover), RunStatus.AwaitingApplyApproval, fromTrigger).Allowed.Should().BeTrue();
        RunPermissions.ApproveApply(As(Role.Approver, Triggerer), RunStatus.AwaitingApplyApproval, betweenGates).Allowed.Should().BeTrue();
        RunPermissions.ApproveApply(As(Role.Approver, PlanApprover), RunStatus.AwaitingApplyApproval, betweenGates).Allowed.Should().BeFalse();
        RunPermissions.ApprovePlan(As(Role.Approver, Triggerer), RunStatus.AwaitingPlanApproval, Fresh(FourEyesPolicy)).Allowed
            .Should().BeTrue("both rules concern the apply only");
    }

    [Fact]
    public void Whoever_approved_a_gate_is_told_how_far_it_is_and_cannot_approve_it_again()
    {
        var facts = Fresh(new ApprovalPolicy { PlanApprovals = 2 }, false, new GateApproval(ApprovalGate.Plan, Someone, false));

        RunPermissions.ApprovePlan(As(Role.Approver, Someone), RunStatus.AwaitingPlanApproval, facts)
            .Should().Be(new Permit(false, "Another approver is needed: you approved (1 of 2 approvals)"));
        RunPermissions.ApprovePlan(As(Role.Approver, Other), RunStatus.AwaitingPlanApproval, facts).Should().Be(Permit.Open);
        RunPermissions.Reject(As(Role.Approver, Other), RunStatus.AwaitingPlanApproval, facts).Should().Be(Permit.Open);
        facts.ProgressAt(RunStatus.AwaitingPlanApproval)!.Text.Should().Be("1 of 2 approvals");
    }

    [Fact]
    public void A_policy_for_admins_closes_the_gate_to_approvers()
    {
        var facts = Fresh(new ApprovalPolicy { ApproverRole = ApproverRole.Admin });

        RunPermissions.ApprovePlan(As(Role.Approver), RunStatus.AwaitingPlanApproval, facts).Should().Be(new Permit(false, "Needs the admin role"));
        RunPermissions.ApprovePlan(As(Role.Admin), RunStatus.AwaitingPlanApproval, facts).Should().Be(Permit.Open);
    }

    [Fact]
    public void The_last_place_at_a_destroying_plans_gate_is_kept_for_an_admin()
    {
        var policy = new ApprovalPolicy { ExtraApprovalOnDestroy = true };
        var oneApprover = Fresh(policy, true, new GateApproval(ApprovalGate.Plan, Other, false));

        oneApprover.ProgressAt(RunStatus.AwaitingPlanApproval)!.Text.Should().Be("1 of 2 approvals, one from an admin");
        RunPermissions.ApprovePlan(As(Role.Approver), RunStatus.AwaitingPlanApproval, oneApprover).Blocked.Should().StartWith("An admin must give the remaining approval");
        RunPermissions.ApprovePlan(As(Role.Admin), RunStatus.AwaitingPlanApproval, oneApprover).Should().Be(Permit.Open);
        RunPermissions.ApprovePlan(As(Role.Approver), RunStatus.AwaitingPlanApproval, Fresh(policy, true)).Should().Be(Permit.Open);
        RunPermissions.ApprovePlan(As(Role.Approver), RunStatus.AwaitingPlanApproval,
            Fresh(policy, true, new GateApproval(ApprovalGate.Plan, Other, true))).Should().Be(Permit.Open, "an admin already approved");
    }

    [Theory]
    [InlineData(RunStatus.AwaitingApplyApproval, true)]
    [InlineData(RunStatus.Queued, true)]
    [InlineData(RunStatus.Applying, false)]
    [InlineData(RunStatus.Completed, false)]
    public void An_operator_may_cancel_a_run_exactly_where_the_state_machine_allows(RunStatus status, bool allowed)
    {
        RunPermissions.CancelDeploymentRun(As(Role.Operator), status).Allowed.Should().Be(allowed);
        RunStateMachine.Allows(status, RunTrigger.Cancel).Should().Be(allowed);
        RunPermissions.CancelDeploymentRun(As(Role.Viewer), status).Should().Be(Permit.Closed);
    }

    [Theory]
    [InlineData(PipelineRunStatus.Running, true)]
    [InlineData(PipelineRunStatus.AwaitingApproval, true)]
    [InlineData(PipelineRunStatus.Completed, false)]
    [InlineData(PipelineRunStatus.Cancelled, false)]
    public void An_operator_may_cancel_an_active_pipeline_run_and_a_viewer_or_token_never(PipelineRunStatus status, bool allowed)
    {
        RunPermissions.CancelPipelineRun(As(Role.Operator), status).Allowed.Should().Be(allowed);
        RunPermissions.CancelPipelineRun(As(Role.Viewer), status).Should().Be(Permit.Closed);
        RunPermissions.CancelPipelineRun(As(null), status).Should().Be(Permit.Closed);
    }

    [Theory]
    [InlineData(PipelineRunStatus.Failed, false, true)]
    [InlineData(PipelineRunStatus.Cancelled, false, true)]
    [InlineData(PipelineRunStatus.Cancelled, true, false)]
    [InlineData(PipelineRunStatus.Completed, false, false)]
    [InlineData(PipelineRunStatus.Running, false, false)]
    public void An_operator_may_resume_a_failed_or_cancelled_run_while_its_pipeline_is_idle(PipelineRunStatus status, bool busy, bool allowed)
    {
        RunPermissions.ResumePipelineRun(As(Role.Operator), status, busy).Allowed.Should().Be(allowed);
        RunPermissions.ResumePipelineRun(As(Role.Viewer), status, busy).Should().Be(Permit.Closed);
        RunPermissions.ResumePipelineRun(As(null), status, busy).Should().Be(Permit.Closed);
    }
}
