import { notifications } from '@mantine/notifications';
import { useNavigate } from 'react-router';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import type { Pipeline } from '../api/pipeline-queries';
import { useDeletePipeline } from '../api/use-delete-pipeline';

interface DeletePipelineDialogProps {
  opened: boolean;
  pipeline: Pipeline;
  onClose: () => void;
}

export function DeletePipelineDialog({ opened, pipeline, onClose }: DeletePipelineDialogProps) {
  const deletePipeline = useDeletePipeline();
  const navigate = useNavigate();

  const close = () => {
    deletePipeline.reset();
    onClose();
  };

  return (
    <ConfirmDialog
      opened={opened}
      title="Delete pipeline"
      message={`Delete the pipeline “${pipeline.name}”? Its deployments and their infrastructure are kept. This cannot be undone.`}
      confirmLabel="Delete"
      loading={deletePipeline.isPending}
      error={deletePipeline.error}
      onClose={close}
      onConfirm={() =>
        deletePipeline.mutate(pipeline.id, {
          onSuccess: () => {
            notifications.show({ color: 'green', title: 'Pipeline deleted', message: pipeline.name });
            close();
            void navigate(`/${pipeline.provider}/pipelines`, { replace: true });
          },
        })
      }
    />
  );
}
