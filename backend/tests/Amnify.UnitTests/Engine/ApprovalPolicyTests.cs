using Amnify.Api.Engine;

namespace Amnify.UnitTests.Engine;

public sealed class ApprovalPolicyTests
{
    [Fact]
    public void A_snapshot_written_before_policies_means_both_distinctness_rules_and_one_approval_per_gate()
    {
        ApprovalPolicy.FromSnapshot("""{"requireDistinctApprover": true}""").Should().Be(new ApprovalPolicy { DistinctFromTrigger = true, DistinctBetweenGates = true });
        ApprovalPolicy.FromSnapshot("""{"requireDistinctApprover": false}""").Should().Be(new ApprovalPolicy());
    }

    [Fact]
    public void A_snapshot_reads_back_what_was_written()
    {
        var policy = new ApprovalPolicy
        {
            PlanApprovals = 2, ApplyApprovals = 3, DistinctFromTrigger = true, ApproverRole = ApproverRole.Admin,
            ExtraApprovalOnDestroy = true, ApprovalTimeoutHours = 4,
        };

        ApprovalPolicy.FromSnapshot(policy.ToJson()).Should().Be(policy);
        policy.ToJson().Should().Contain("\"approverRole\":\"admin\"");
    }

    [Fact]
    public void A_destroying_plan_needs_one_more_plan_approval_from_an_admin_when_the_policy_says_so()
    {
        var policy = new ApprovalPolicy { PlanApprovals = 2, ApplyApprovals = 1, ExtraApprovalOnDestroy = true };

        policy.Required(ApprovalGate.Plan, planDestroys: true).Should().Be(3);
        policy.NeedsAdmin(ApprovalGate.Plan, planDestroys: true).Should().BeTrue();
        policy.Required(ApprovalGate.Plan, planDestroys: false).Should().Be(2);
        policy.Required(ApprovalGate.Apply, planDestroys: true).Should().Be(1);
        (policy with { ExtraApprovalOnDestroy = false }).Required(ApprovalGate.Plan, planDestroys: true).Should().Be(2);
    }

    [Fact]
    public void A_deployment_override_that_sets_nothing_writes_nothing()
    {
        new ApprovalPolicyOverride().ToJson().Should().Be("{}");
        new ApprovalPolicyOverride { DistinctFromTrigger = true, DistinctBetweenGates = true }.RequiresDistinctApprover.Should().BeTrue();
    }
}
