import { ActionIcon, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert';
import { templateQueries } from '../../templates/api/template-queries';
import type { Pipeline, PipelineStep, StepInput } from '../api/pipeline-queries';
import { useSetStepInputs } from '../api/use-set-step-inputs';

interface StepInputsDialogProps {
  pipeline: Pipeline;
  step: PipelineStep;
  onClose: () => void;
}

interface Row {
  variable: string | null;
  /** `<fromStepId>|<output>` */
  source: string | null;
}

const sourceKey = (input: Pick<StepInput, 'fromStepId' | 'output'>) => `${input.fromStepId}|${input.output}`;

/**
 * Which variables of `step` take an earlier step's output at run time instead of the deployment's own value. Variables
 * show their type and description, outputs their description; sensitive ones are marked (a sensitive output can only
 * feed a sensitive variable: the server refuses the rest, naming the row).
 */
export function StepInputsDialog({ pipeline, step, onClose }: StepInputsDialogProps) {
  const earlier = pipeline.steps.filter((s) => s.position < step.position);
  const templates = useQueries({
    queries: [step, ...earlier].map((s) => templateQueries.detail(s.templateId)),
  });
  const [rows, setRows] = useState<Row[]>(() =>
    step.inputs.map((input) => ({ variable: input.variable, source: sourceKey(input) })),
  );
  const save = useSetStepInputs(pipeline.id);
  const loading = templates.some((t) => t.isPending);
  const failed = templates.find((t) => t.isError);

  const own = templates[0]?.data;
  const variables = (own?.variables ?? []).map((v) => ({
    value: v.name,
    label: `${v.name} (${v.type}${v.sensitive ? ', sensitive' : ''})${v.description ? ` — ${v.description}` : ''}`,
  }));
  const sources = earlier.map((s, index) => ({
    group: `Step ${s.position}: ${s.deploymentName}`,
    items: (templates[index + 1]?.data?.outputs ?? []).map((o) => ({
      value: sourceKey({ fromStepId: s.id, output: o.name }),
      label: `${s.deploymentName}.${o.name}${o.sensitive ? ' (sensitive)' : ''}${o.description ? ` — ${o.description}` : ''}`,
    })),
  }));

  const setRow = (index: number, change: Partial<Row>) =>
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const complete = rows.every((row) => row.variable && row.source);

  const submit = () => {
    const inputs = rows.map((row) => {
      const [fromStepId = '', output = ''] = (row.source ?? '').split('|');
      return { variable: row.variable ?? '', fromStepId, output };
    });
    save.mutate({ stepId: step.id, inputs }, { onSuccess: onClose });
  };

  return (
    <Modal opened onClose={save.isPending ? () => {} : onClose} title={`Inputs of ${step.deploymentName}`} size="lg" centered>
      <Stack>
        <Text size="sm" c="dimmed">
          At run time each variable listed here takes the output of an earlier step (from this run when that step applies,
          otherwise from its current state) instead of the deployment&apos;s own value.
        </Text>
        {failed && <ErrorAlert error={failed.error} title="Could not load the templates" />}
        {earlier.length === 0 && (
          <Text size="sm">This is the first step: there is no earlier step whose outputs it could take.</Text>
        )}
        {rows.map((row, index) => (
          <Group key={index} align="flex-end" wrap="nowrap" gap="xs">
            <Select
              label={`Variable ${index + 1}`}
              placeholder="Variable of this step"
              data={variables}
              value={row.variable}
              onChange={(variable) => setRow(index, { variable })}
              searchable
              disabled={loading}
              style={{ flex: 1 }}
            />
            <Text aria-hidden="true" pb={8}>
              ←
            </Text>
            <Select
              label={`Value from ${index + 1}`}
              placeholder="Output of an earlier step"
              data={sources}
              value={row.source}
              onChange={(source) => setRow(index, { source })}
              searchable
              disabled={loading}
              style={{ flex: 1 }}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              mb={4}
              aria-label={`Remove input ${index + 1}`}
              onClick={() => setRows((current) => current.filter((_, i) => i !== index))}
            >
              <span aria-hidden="true">×</span>
            </ActionIcon>
          </Group>
        ))}
        {earlier.length > 0 && (
          <Group>
            <Button variant="light" size="xs" onClick={() => setRows((current) => [...current, { variable: null, source: null }])}>
              Add input
            </Button>
          </Group>
        )}
        {save.isError && <ErrorAlert error={save.error} title="Inputs not saved" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button onClick={submit} loading={save.isPending} disabled={!complete || loading}>
            Save inputs
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
