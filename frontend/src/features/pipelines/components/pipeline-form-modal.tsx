import { Modal } from '@mantine/core';
import { useNavigate } from 'react-router';
import { isApiError } from '../../../api/client';
import type { VersionedPipeline } from '../api/pipeline-queries';
import { useCreatePipeline } from '../api/use-create-pipeline';
import { useUpdatePipeline } from '../api/use-update-pipeline';
import { PipelineForm, type PipelineFormValues } from './pipeline-form';

interface PipelineFormModalProps {
  opened: boolean;
  onClose: () => void;
  provider: VersionedPipeline['pipeline']['provider'];
  /**
   * The pipeline to edit, as it was when Edit was clicked (its ETag guards the change);
   * creates a new one (and opens it) when absent.
   */
  pipeline?: VersionedPipeline | null;
}

export function PipelineFormModal({ opened, onClose, provider, pipeline }: PipelineFormModalProps) {
  const createPipeline = useCreatePipeline();
  const updatePipeline = useUpdatePipeline();
  const navigate = useNavigate();
  const editing = pipeline != null;

  const submit = async (values: PipelineFormValues) => {
    if (pipeline) {
      try {
        await updatePipeline.mutateAsync({
          id: pipeline.pipeline.id,
          etag: pipeline.etag,
          body: { name: values.name, description: values.description },
        });
      } catch (error) {
        if (isApiError(error) && error.status === 412) {
          throw new Error(
            'The pipeline was changed by someone else while you were editing. Close this dialog to see the latest version, then edit again.',
          );
        }
        throw error;
      }
      onClose();
      return;
    }
    const created = await createPipeline.mutateAsync({
      provider,
      name: values.name,
      description: values.description || undefined,
    });
    onClose();
    // The new pipeline's page is the confirmation: it opens empty, inviting to add deployments.
    void navigate(`/${provider}/pipelines/${created.pipeline.id}`);
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={editing ? 'Edit pipeline' : 'New pipeline'}
      closeButtonProps={{ 'aria-label': 'Close' }}
      size="lg"
    >
      {/* Keyed so that each opening starts from the pipeline's current values. */}
      <PipelineForm
        key={pipeline?.pipeline.id ?? 'new'}
        initialValues={
          pipeline ? { name: pipeline.pipeline.name, description: pipeline.pipeline.description ?? '' } : undefined
        }
        submitLabel={editing ? 'Save changes' : 'Create Pipeline'}
        onSubmit={submit}
        onCancel={onClose}
      />
    </Modal>
  );
}
