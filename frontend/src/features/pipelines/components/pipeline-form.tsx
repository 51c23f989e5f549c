import { Alert, Button, Group, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { applyProblemToForm } from '../../../lib/problem-form-errors';
import { LengthCounter } from '../../../components/length-counter';
import { DESCRIPTION_MAX, NAME_MAX } from '../../../lib/field-limits';

export interface PipelineFormValues {
  name: string;
  description: string;
}

interface PipelineFormProps {
  initialValues?: PipelineFormValues;
  submitLabel: string;
  /** Sends the values; a rejected promise (an ApiError) puts its messages on the fields. */
  onSubmit: (values: PipelineFormValues) => Promise<unknown>;
  onCancel: () => void;
}

const empty: PipelineFormValues = { name: '', description: '' };

export function PipelineForm({ initialValues = empty, submitLabel, onSubmit, onCancel }: PipelineFormProps) {
  // The API's validation messages are the ones shown; the browser only marks the name as required.
  const form = useForm<PipelineFormValues>({ mode: 'controlled', initialValues });
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const handleSubmit = form.onSubmit(async (values) => {
    setFormError(null);
    setSubmitting(true);
    try {
      await onSubmit({ name: values.name.trim(), description: values.description.trim() });
    } catch (error) {
      setFormError(
        applyProblemToForm(form, error, {
          conflictField: 'name',
          mapField: (field) => (field === 'name' || field === 'description' ? field : undefined),
        }),
      );
    } finally {
      setSubmitting(false);
    }
  });

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <TextInput
          label="Name"
          description="A descriptive name, e.g. “Full Platform Rollout — Prod”"
          withAsterisk
          data-autofocus
          maxLength={NAME_MAX}
          rightSection={<LengthCounter value={form.values.name} max={NAME_MAX} />}
          rightSectionWidth={90}
          {...form.getInputProps('name')}
          key={form.key('name')}
        />
        <Textarea
          label="Description"
          description="Optional: what this pipeline provisions"
          autosize
          minRows={2}
          maxLength={DESCRIPTION_MAX}
          rightSection={<LengthCounter value={form.values.description} max={DESCRIPTION_MAX} />}
          rightSectionWidth={90}
          {...form.getInputProps('description')}
          key={form.key('description')}
        />
        {formError && (
          <Alert color="red" variant="light" role="alert" style={{ whiteSpace: 'pre-line' }}>
            {formError}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={submitting}>
            Cancel
          </Button>
          <Button type="submit" loading={submitting}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
