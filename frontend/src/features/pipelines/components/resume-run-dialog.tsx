import { List, Stack, Text } from '@mantine/core';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { resumeStart, type PipelineRun } from '../api/pipeline-queries';

interface ResumeRunDialogProps {
  opened: boolean;
  run: PipelineRun;
  loading: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}

/** What a resume will do: the steps it skips (and why) and those it runs again, each with a fresh plan and both approvals. */
export function ResumeRunDialog({ opened, run, loading, error, onConfirm, onClose }: ResumeRunDialogProps) {
  const start = resumeStart(run);
  const skipped = run.steps.filter((step) => step.position < (start?.position ?? Infinity));
  const again = run.steps.filter((step) => step.position >= (start?.position ?? Infinity));
  return (
    <ConfirmDialog
      opened={opened}
      title={`Resume run #${run.number}`}
      danger={false}
      confirmLabel={`Resume from step ${start?.position ?? ''}`}
      loading={loading}
      error={error}
      onConfirm={onConfirm}
      onClose={onClose}
      message={
        <Stack gap="xs">
          <Text size="sm">
            A new run with the same steps and inputs as run #{run.number}, as they were when it started (later edits of the
            pipeline do not count).
          </Text>
          {skipped.length > 0 && (
            <>
              <Text size="sm" fw={500}>
                Skipped: completed in run #{run.number}
              </Text>
              <List size="sm" aria-label="Steps skipped">
                {skipped.map((step) => (
                  <List.Item key={step.position}>
                    Step {step.position}: {step.deploymentName}
                  </List.Item>
                ))}
              </List>
            </>
          )}
          <Text size="sm" fw={500}>
            Run again, each with a fresh plan and both approvals
          </Text>
          <List size="sm" aria-label="Steps run again">
            {again.map((step) => (
              <List.Item key={step.position}>
                Step {step.position}: {step.deploymentName}
              </List.Item>
            ))}
          </List>
        </Stack>
      }
    />
  );
}
