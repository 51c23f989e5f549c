import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { components } from '../../../api/schema';
import { ApprovalPolicyFields } from '../../../components/approval-policy-fields';
import { applyProblemToForm } from '../../../lib/problem-form-errors';
import type { CloudEnvironment } from '../api/cloud-environment-queries';
import { useUpdateCloudEnvironment } from '../api/use-update-cloud-environment';

type ApprovalPolicy = components['schemas']['ApprovalPolicy'];

interface PolicyValues extends Omit<ApprovalPolicy, 'approvalTimeoutHours'> {
  /** Empty: a gate waits for ever. */
  approvalTimeoutHours: number | string;
}

interface ApprovalPolicyModalProps {
  environment: CloudEnvironment | null;
  onClose: () => void;
}

/** Who may approve this environment's runs and how many must: an admin's form. Each run keeps the policy it was triggered under. */
export function ApprovalPolicyModal({ environment, onClose }: ApprovalPolicyModalProps) {
  return (
    <Modal opened={environment !== null} onClose={onClose} title={`Approval policy · ${environment?.name ?? ''}`} centered size="lg">
      {environment && <PolicyForm key={environment.id} environment={environment} onDone={onClose} />}
    </Modal>
  );
}

function PolicyForm({ environment, onDone }: { environment: CloudEnvironment; onDone: () => void }) {
  const update = useUpdateCloudEnvironment();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<PolicyValues>({
    mode: 'controlled',
    initialValues: { ...environment.approvalPolicy, approvalTimeoutHours: environment.approvalPolicy.approvalTimeoutHours ?? '' },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const approvalPolicy: ApprovalPolicy = {
      ...values,
      approvalTimeoutHours: values.approvalTimeoutHours === '' ? null : Number(values.approvalTimeoutHours),
    };
    try {
      await update.mutateAsync({ id: environment.id, body: { approvalPolicy } });
      onDone();
    } catch (error) {
      // The API names fields as approvalPolicy.planApprovals: they land on this form's planApprovals.
      setFormError(applyProblemToForm(form, error, { mapField: (field) => field.replace(/^approvalPolicy\./, '') }));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          Changes apply to runs triggered from now on; a deployment may only make this stricter.
        </Text>
        <ApprovalPolicyFields
          inputProps={form.getInputProps}
          roles={[
            { value: 'approver', label: 'Approvers and admins' },
            { value: 'admin', label: 'Admins only' },
          ]}
          countDescription="Distinct people, 1 to 5"
          timeoutDescription="Empty: wait for ever. A run left waiting longer ends expired."
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
