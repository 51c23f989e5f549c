using Amnify.Api.Engine;
using FluentValidation;

namespace Amnify.Api.Features.Common;

/// <summary>The bounds of an approval policy, for a cloud environment's (whole) and a deployment's (what it tightens).</summary>
internal static class ApprovalPolicyRules
{
    private const string Counts = "must be 1 to 5 (distinct people).";
    private const string Timeout = "approvalTimeoutHours must be 1 to 720 hours, or null to wait for ever.";

    public static void Policy<T>(this IRuleBuilderInitial<T, ApprovalPolicy?> rule) => rule.ChildRules(p =>
    {
        p.RuleFor(x => x!.PlanApprovals).InclusiveBetween(1, ApprovalPolicy.MaxApprovals).WithMessage($"planApprovals {Counts}");
        p.RuleFor(x => x!.ApplyApprovals).InclusiveBetween(1, ApprovalPolicy.MaxApprovals).WithMessage($"applyApprovals {Counts}");
        p.RuleFor(x => x!.ApproverRole).IsInEnum().WithMessage("approverRole must be approver or admin.");
        p.RuleFor(x => x!.ApprovalTimeoutHours).InclusiveBetween(1, ApprovalPolicy.MaxTimeoutHours).When(x => x!.ApprovalTimeoutHours is not null).WithMessage(Timeout);
    });

    public static void Override<T>(this IRuleBuilderInitial<T, ApprovalPolicyOverride?> rule) => rule.ChildRules(p =>
    {
        p.RuleFor(x => x!.PlanApprovals).InclusiveBetween(1, ApprovalPolicy.MaxApprovals).When(x => x!.PlanApprovals is not null).WithMessage($"planApprovals {Counts}");
        p.RuleFor(x => x!.ApplyApprovals).InclusiveBetween(1, ApprovalPolicy.MaxApprovals).When(x => x!.ApplyApprovals is not null).WithMessage($"applyApprovals {Counts}");
        p.RuleFor(x => x!.ApproverRole).IsInEnum().When(x => x!.ApproverRole is not null).WithMessage("approverRole must be approver or admin.");
        p.RuleFor(x => x!.ApprovalTimeoutHours).InclusiveBetween(1, ApprovalPolicy.MaxTimeoutHours).When(x => x!.ApprovalTimeoutHours is not null).WithMessage(Timeout);
    });
}
