import { Modal } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Project } from '../api/project-queries';
import { useCreateProject } from '../api/use-create-project';
import { useUpdateProject } from '../api/use-update-project';
import { ProjectForm, type ProjectFormValues } from './project-form';

interface ProjectFormModalProps {
  opened: boolean;
  onClose: () => void;
  provider: Project['provider'];
  /** The project to edit; creates a new one when absent. */
  project?: Project | null;
}

export function ProjectFormModal({ opened, onClose, provider, project }: ProjectFormModalProps) {
  const createProject = useCreateProject();
  const updateProject = useUpdateProject();
  const editing = project != null;

  const submit = async (values: ProjectFormValues) => {
    if (project) {
      const updated = await updateProject.mutateAsync({
        id: project.id,
        body: { name: values.name, description: values.description, tags: values.tags },
      });
      notifications.show({ color: 'green', title: 'Project saved', message: updated.name });
    } else {
      const created = await createProject.mutateAsync({
        provider,
        name: values.name,
        description: values.description || undefined,
        tags: values.tags,
      });
      notifications.show({ color: 'green', title: 'Project created', message: created.name });
    }
    onClose();
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={editing ? 'Edit project' : 'Create project'}
      closeButtonProps={{ 'aria-label': 'Close' }}
      size="lg"
    >
      {/* Keyed so that each opening starts from the project's current values. */}
      <ProjectForm
        key={project?.id ?? 'new'}
        initialValues={
          project
            ? { name: project.name, description: project.description ?? '', tags: project.tags ?? [] }
            : undefined
        }
        submitLabel={editing ? 'Save changes' : 'Create project'}
        onSubmit={submit}
        onCancel={onClose}
      />
    </Modal>
  );
}
