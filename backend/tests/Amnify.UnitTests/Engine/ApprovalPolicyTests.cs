using Amnify.Api.Engine;

namespace Amnify.UnitTests.Engine;

public sealed class ApprovalPolicyTests
{
    private static readonly Guid Triggerer = Guid.NewGuid(), PlanApprover = Guid.NewGuid(), Someone = Guid.NewGuid();

    [Fact]
    public void With_four_eyes_the_triggerer_and_the_plan_approver_are_refused_and_anyone_else_is_not()
    {
        ApprovalPolicy.RefusesApplyApprover(true, Triggerer, Triggerer, PlanApprover).Should().BeTrue();
        ApprovalPolicy.RefusesApplyApprover(true, PlanApprover, Triggerer, PlanApprover).Should().BeTrue();
        ApprovalPolicy.RefusesApplyApprover(true, Someone, Triggerer, PlanApprover).Should().BeFalse();
    }

    [Fact]
    public void Without_four_eyes_anyone_may_approve_the_apply()
    {
        ApprovalPolicy.RefusesApplyApprover(false, Triggerer, Triggerer, Triggerer).Should().BeFalse();
    }

    [Fact]
    public void With_four_eyes_an_approver_without_a_user_id_is_refused_and_an_unknown_triggerer_blocks_nobody_else()
    {
        ApprovalPolicy.RefusesApplyApprover(true, null, Triggerer, PlanApprover).Should().BeTrue();
        ApprovalPolicy.RefusesApplyApprover(true, Someone, null, PlanApprover).Should().BeFalse();
    }
}
