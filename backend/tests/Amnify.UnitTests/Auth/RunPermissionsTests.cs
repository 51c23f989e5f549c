using Amnify.Api.Auth;
using Amnify.Api.Engine;

namespace Amnify.UnitTests.Auth;

public sealed class RunPermissionsTests
{
    private static readonly Guid Triggerer = Guid.NewGuid(), PlanApprover = Guid.NewGuid(), Someone = Guid.NewGuid();
    private static readonly ApprovalFacts FourEyes = new(true, Triggerer, PlanApprover);

    private static Caller As(Role? role, Guid? id = null) => new(role, id ?? Someone);

    [Fact]
    public void An_approval_is_offered_only_at_its_own_gate()
    {
        RunPermissions.ApprovePlan(As(Role.Approver), RunStatus.AwaitingPlanApproval).Should().Be(Permit.Open);
        RunPermissions.ApprovePlan(As(Role.Approver), RunStatus.AwaitingApplyApproval).Should().Be(Permit.Closed);
        RunPermissions.ApproveApply(As(Role.Approver), RunStatus.AwaitingApplyApproval, FourEyes).Should().Be(Permit.Open);
        RunPermissions.ApproveApply(As(Role.Approver), RunStatus.AwaitingPlanApproval, FourEyes).Should().Be(Permit.Closed);
        RunPermissions.ApproveApply(As(Role.Approver), null, FourEyes).Should().Be(Permit.Closed);
    }

    [Fact]
    public void Those_who_act_on_runs_are_told_which_role_approving_needs_and_read_only_callers_nothing()
    {
        RunPermissions.ApprovePlan(As(Role.Operator), RunStatus.AwaitingPlanApproval).Should().Be(new Permit(false, "Needs the approver role"));
        RunPermissions.ApproveApply(As(Role.Operator, Someone), RunStatus.AwaitingApplyApproval, FourEyes)
            .Should().Be(new Permit(false, "Needs the approver role"));
        RunPermissions.ApprovePlan(As(Role.Viewer), RunStatus.AwaitingPlanApproval).Should().Be(Permit.Closed);
        RunPermissions.ApprovePlan(As(null), RunStatus.AwaitingPlanApproval).Should().Be(Permit.Closed, "a pipeline token has no role");
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
        RunPermissions.ApproveApply(As(Role.Approver, Triggerer), RunStatus.AwaitingApplyApproval, FourEyes with { RequireDistinctApprover = false })
            .Should().Be(Permit.Open);
    }

    [Fact]
    public void The_four_eyes_refusal_is_the_approval_policy_in_words()
    {
        foreach (var approver in new Guid?[] { Triggerer, PlanApprover, Someone, null })
        foreach (var distinct in new[] { true, false })
            (RunPermissions.ApplyApproverRefusal(approver, FourEyes with { RequireDistinctApprover = distinct }) is not null)
                .Should().Be(ApprovalPolicy.RefusesApplyApprover(distinct, approver, Triggerer, PlanApprover));
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
