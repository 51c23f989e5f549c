import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { components } from '../../../api/schema';
import { ApprovalPolicyFields } from '../../../components/approval-policy-fields';
import { applyProblemToForm } from '../../../lib/problem-form-errors';
import type { Deployment } from '../api/deployment-queries';
import { useUpdateDeployment } from '../api/use-update-deployment';

type ApprovalPolicyOverride = components['schemas']['ApprovalPolicyOverride'];

/** Empty numbers and an unset role follow the environment; a switch off adds nothing to it. */
interface OverrideValues {
  planApprovals: number | string;
  applyApprovals: number | string;
  approvalTimeoutHours: number | string;
  approverRole: string;
  distinctFromTrigger: boolean;
  distinctBetweenGates: boolean;
  extraApprovalOnDestroy: boolean;
}

const numberOrNull = (value: number | string) => (value === '' ? null : Number(value));

function valuesFrom(policy: ApprovalPolicyOverride): OverrideValues {
  return {
    planApprovals: policy.planApprovals ?? '',
    applyApprovals: policy.applyApprovals ?? '',
    approvalTimeoutHours: policy.approvalTimeoutHours ?? '',
    approverRole: policy.approverRole ?? 'environment',
    distinctFromTrigger: policy.distinctFromTrigger ?? false,
    distinctBetweenGates: policy.distinctBetweenGates ?? false,
    extraApprovalOnDestroy: policy.extraApprovalOnDestroy ?? false,
  };
}

function overrideFrom(values: OverrideValues): ApprovalPolicyOverride {
  return {
    planApprovals: numberOrNull(values.planApprovals),
    applyApprovals: numberOrNull(values.applyApprovals),
    approvalTimeoutHours: numberOrNull(values.approvalTimeoutHours),
    approverRole: values.approverRole === 'admin' ? 'admin' : undefined,
    distinctFromTrigger: values.distinctFromTrigger || null,
    distinctBetweenGates: values.distinctBetweenGates || null,
    extraApprovalOnDestroy: values.extraApprovalOnDestroy || null,
  };
}

interface DeploymentPolicyModalProps {
  deployment: Deployment;
  opened: boolean;
  onClose: () => void;
}

/** An admin's form for what this deployment tightens in its environment's approval policy (it can only be stricter). */
export function DeploymentPolicyModal({ deployment, opened, onClose }: DeploymentPolicyModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Approval policy · ${deployment.name}`} centered size="lg">
      {opened && <OverrideForm deployment={deployment} onDone={onClose} />}
    </Modal>
  );
}

function OverrideForm({ deployment, onDone }: { deployment: Deployment; onDone: () => void }) {
  const update = useUpdateDeployment();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<OverrideValues>({ mode: 'controlled', initialValues: valuesFrom(deployment.approvalPolicy) });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await update.mutateAsync({ id: deployment.id, body: { approvalPolicy: overrideFrom(values) } });
      onDone();
    } catch (error) {
      setFormError(applyProblemToForm(form, error, { mapField: (field) => field.replace(/^approvalPolicy\./, '') }));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          {`Stricter than ${deployment.cloudEnvironmentName}'s policy: each run takes the larger count, the higher role and the shorter timeout. Leave a field empty to follow the environment.`}
        </Text>
        <ApprovalPolicyFields
          inputProps={form.getInputProps}
          roles={[
            { value: 'environment', label: 'As the environment says' },
            { value: 'admin', label: 'Admins only' },
          ]}
        />
        {formError && (
          <Alert color="red" variant="light" role="alert">
            {formError}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={update.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save policy
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
