import type { components } from '../../../api/schema';

type ApprovalPolicy = components['schemas']['ApprovalPolicy'];

const people = (n: number) => (n === 1 ? '1 person' : `${n} people`);

/** The policy a run was triggered under, in one sentence, e.g. "Plan: 2 people · apply: 1 person (not the triggerer)". */
export function policyInWords(policy: ApprovalPolicy): string {
  const apply = [policy.distinctFromTrigger && 'not the triggerer', policy.distinctBetweenGates && 'not a plan approver']
    .filter(Boolean)
    .join(', ');
  return [
    `Plan: ${people(policy.planApprovals)}`,
    `apply: ${people(policy.applyApprovals)}${apply ? ` (${apply})` : ''}`,
    policy.approverRole === 'admin' ? 'admins only' : null,
    policy.extraApprovalOnDestroy ? 'one more from an admin when the plan destroys or replaces' : null,
    policy.approvalTimeoutHours ? `expires after ${policy.approvalTimeoutHours} h waiting` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}
