import { Modal } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { CloudEnvironment } from '../api/cloud-environment-queries';
import { useCreateCloudEnvironment } from '../api/use-create-cloud-environment';
import { useUpdateCloudEnvironment } from '../api/use-update-cloud-environment';
import { CloudEnvironmentForm } from './cloud-environment-form';
import { formValuesFrom, toCreateBody, toUpdateBody, type CloudEnvironmentFormValues } from './cloud-environment-form-model';

interface CloudEnvironmentFormModalProps {
  opened: boolean;
  onClose: () => void;
  provider: CloudEnvironment['provider'];
  /** The environment to edit; creates a new one when absent. */
  environment?: CloudEnvironment | null;
}

export function CloudEnvironmentFormModal({ opened, onClose, provider, environment }: CloudEnvironmentFormModalProps) {
  const createEnvironment = useCreateCloudEnvironment();
  const updateEnvironment = useUpdateCloudEnvironment();
  const editing = environment != null;

  const submit = async (values: CloudEnvironmentFormValues) => {
    if (environment) {
      const updated = await updateEnvironment.mutateAsync({ id: environment.id, body: toUpdateBody(values) });
      notifications.show({ color: 'green', title: 'Cloud environment saved', message: updated.name });
    } else {
      const created = await createEnvironment.mutateAsync(toCreateBody(provider, values));
      notifications.show({ color: 'green', title: 'Cloud environment created', message: created.name });
    }
    onClose();
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={editing ? 'Edit cloud environment' : 'Create cloud environment'}
      closeButtonProps={{ 'aria-label': 'Close' }}
      size="xl"
    >
      <CloudEnvironmentForm
        key={environment?.id ?? 'new'}
        provider={provider}
        initialValues={environment ? formValuesFrom(environment) : undefined}
        submitLabel={editing ? 'Save changes' : 'Create cloud environment'}
        onSubmit={submit}
        onCancel={onClose}
      />
    </Modal>
  );
}
