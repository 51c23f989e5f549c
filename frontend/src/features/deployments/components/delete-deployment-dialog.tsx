import { ConfirmDialog } from '../../../components/confirm-dialog';
import type { Deployment } from '../api/deployment-queries';
import { useDeleteDeployment } from '../api/use-delete-deployment';

interface DeleteDeploymentDialogProps {
  opened: boolean;
  deployment: Deployment;
  onClose: () => void;
  onDeleted: () => void;
}

/** Deleting is refused (409, shown here) while infrastructure exists, a run is active or a pipeline uses it. */
export function DeleteDeploymentDialog({ opened, deployment, onClose, onDeleted }: DeleteDeploymentDialogProps) {
  const deleteDeployment = useDeleteDeployment();
  const close = () => {
    deleteDeployment.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      opened={opened}
      title="Delete deployment"
      message={`Delete the deployment “${deployment.name}” and its run history? This cannot be undone.`}
      confirmLabel="Delete"
      loading={deleteDeployment.isPending}
      error={deleteDeployment.error}
      onClose={close}
      onConfirm={() => deleteDeployment.mutate(deployment.id, { onSuccess: onDeleted })}
    />
  );
}
