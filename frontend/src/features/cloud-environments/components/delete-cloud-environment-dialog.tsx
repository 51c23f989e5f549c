import { notifications } from '@mantine/notifications';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import type { CloudEnvironment } from '../api/cloud-environment-queries';
import { useDeleteCloudEnvironment } from '../api/use-delete-cloud-environment';

interface DeleteCloudEnvironmentDialogProps {
  opened: boolean;
  environment: CloudEnvironment | null;
  onClose: () => void;
}

export function DeleteCloudEnvironmentDialog({ opened, environment, onClose }: DeleteCloudEnvironmentDialogProps) {
  const deleteEnvironment = useDeleteCloudEnvironment();

  const close = () => {
    deleteEnvironment.reset();
    onClose();
  };

  return (
    <ConfirmDialog
      opened={opened}
      title="Delete cloud environment"
      message={`Delete the cloud environment “${environment?.name ?? ''}” and its stored credentials? This cannot be undone.`}
      confirmLabel="Delete"
      loading={deleteEnvironment.isPending}
      error={deleteEnvironment.error}
      onClose={close}
      onConfirm={() => {
        if (!environment) return;
        deleteEnvironment.mutate(environment.id, {
          onSuccess: () => {
            notifications.show({ color: 'green', title: 'Cloud environment deleted', message: environment.name });
            close();
          },
        });
      }}
    />
  );
}
