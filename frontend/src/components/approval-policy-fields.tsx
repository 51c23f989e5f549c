import { Group, NumberInput, Select, Switch } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';

/** The fields of an approval policy, as a cloud environment sets it and a deployment tightens it. */
export type ApprovalPolicyField =
  | 'planApprovals'
  | 'applyApprovals'
  | 'approverRole'
  | 'distinctFromTrigger'
  | 'distinctBetweenGates'
  | 'extraApprovalOnDestroy'
  | 'approvalTimeoutHours';

interface ApprovalPolicyFieldsProps {
  /** The form's own getInputProps. */
  inputProps: (field: ApprovalPolicyField, options?: { type: 'checkbox' }) => GetInputPropsReturnType;
  /** The choices for who may approve (an environment picks a role; a deployment may only raise it). */
  roles: { value: string; label: string }[];
  countDescription?: string;
  timeoutDescription?: string;
}

/** One set of policy inputs for both forms, so a rule reads the same wherever it is set. */
export function ApprovalPolicyFields({ inputProps, roles, countDescription, timeoutDescription }: ApprovalPolicyFieldsProps) {
  return (
    <>
      <Group grow>
        <NumberInput label="Plan approvals" description={countDescription} min={1} max={5} allowDecimal={false} {...inputProps('planApprovals')} />
        <NumberInput label="Apply approvals" description={countDescription} min={1} max={5} allowDecimal={false} {...inputProps('applyApprovals')} />
      </Group>
      <Select label="Who may approve" data={roles} allowDeselect={false} {...inputProps('approverRole')} />
      <Switch
        label="The apply needs someone other than whoever triggered the run"
        {...inputProps('distinctFromTrigger', { type: 'checkbox' })}
      />
      <Switch label="The apply needs someone other than the plan's approvers" {...inputProps('distinctBetweenGates', { type: 'checkbox' })} />
      <Switch
        label="A plan that destroys or replaces anything needs one more approval, from an admin"
        {...inputProps('extraApprovalOnDestroy', { type: 'checkbox' })}
      />
      <NumberInput
        label="Expire a waiting gate after (hours)"
        description={timeoutDescription}
        min={1}
        max={720}
        allowDecimal={false}
        {...inputProps('approvalTimeoutHours')}
      />
    </>
  );
}
