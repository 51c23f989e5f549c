import { notifications } from '@mantine/notifications';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import type { Project } from '../api/project-queries';
import { useDeleteProject } from '../api/use-delete-project';

interface DeleteProjectDialogProps {
  opened: boolean;
  project: Project | null;
  onClose: () => void;
}

export function DeleteProjectDialog({ opened, project, onClose }: DeleteProjectDialogProps) {
  const deleteProject = useDeleteProject();

  const close = () => {
    deleteProject.reset();
    onClose();
  };

  return (
    <ConfirmDialog
      opened={opened}
      title="Delete project"
      message={`Delete the project “${project?.name ?? ''}”? This cannot be undone.`}
      confirmLabel="Delete"
      loading={deleteProject.isPending}
      error={deleteProject.error}
      onClose={close}
      onConfirm={() => {
        if (!project) return;
        deleteProject.mutate(project.id, {
          onSuccess: () => {
            notifications.show({ color: 'green', title: 'Project deleted', message: project.name });
            close();
          },
        });
      }}
    />
  );
}
