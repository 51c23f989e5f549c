import { Alert, Button, Group, Stack, TagsInput, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { applyProblemToForm } from '../../../lib/problem-form-errors';
import { LengthCounter } from '../../../components/length-counter';
import { DESCRIPTION_MAX, NAME_MAX } from '../../../lib/field-limits';

export interface ProjectFormValues {
  name: string;
  description: string;
  tags: string[];
}

interface ProjectFormProps {
  initialValues?: ProjectFormValues;
  submitLabel: string;
  /** Sends the values; a rejected promise (an ApiError) puts its messages on the fields. */
  onSubmit: (values: ProjectFormValues) => Promise<unknown>;
  onCancel: () => void;
}

const empty: ProjectFormValues = { name: '', description: '', tags: [] };

export function ProjectForm({ initialValues = empty, submitLabel, onSubmit, onCancel }: ProjectFormProps) {
  // No client-side rules: the API's validation messages are the ones shown.
  const form = useForm<ProjectFormValues>({ mode: 'controlled', initialValues });
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const handleSubmit = form.onSubmit(async (values) => {
    setFormError(null);
    setSubmitting(true);
    try {
      await onSubmit({ ...values, name: values.name.trim(), description: values.description.trim() });
    } catch (error) {
      setFormError(applyProblemToForm(form, error, {
          conflictField: 'name',
          // `tags[3]` is about one tag of the tags input.
          mapField: (field) => (['name', 'description', 'tags'].includes(field.split('.')[0]!) ? field.split('.')[0] : undefined),
        }));
    } finally {
      setSubmitting(false);
    }
  });

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <TextInput
          label="Name"
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
          autosize
          minRows={2}
          maxLength={DESCRIPTION_MAX}
          rightSection={<LengthCounter value={form.values.description} max={DESCRIPTION_MAX} />}
          rightSectionWidth={90}
          {...form.getInputProps('description')}
          key={form.key('description')}
        />
        <TagsInput
          label="Tags"
          description="Press Enter after each tag"
          clearable
          {...form.getInputProps('tags')}
          key={form.key('tags')}
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
