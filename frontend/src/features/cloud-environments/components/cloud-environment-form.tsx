import { Alert, Button, Fieldset, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { StatusBadge } from '../../../components/status-badge';
import { applyProblemToForm } from '../../../lib/problem-form-errors';
import {
  emptyFormValues,
  formPathFor,
  newCredentialRow,
  validateCredentials,
  type CloudEnvironmentFormValues,
} from './cloud-environment-form-model';
import { fieldsFor } from './provider-fields';
import { LengthCounter } from '../../../components/length-counter';
import { NAME_MAX, REGION_MAX } from '../../../lib/field-limits';

interface CloudEnvironmentFormProps {
  provider: string;
  initialValues?: CloudEnvironmentFormValues;
  submitLabel: string;
  /** Sends the values; a rejected promise (an ApiError) puts its messages on the fields. */
  onSubmit: (values: CloudEnvironmentFormValues) => Promise<unknown>;
  onCancel: () => void;
}

export function CloudEnvironmentForm({ provider, initialValues, submitLabel, onSubmit, onCancel }: CloudEnvironmentFormProps) {
  const [initial] = useState(() => initialValues ?? emptyFormValues());
  // Only the credential rows are checked here; name, region and account are left to the API's messages.
  const form = useForm<CloudEnvironmentFormValues>({ mode: 'controlled', initialValues: initial, validate: validateCredentials });
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const labels = fieldsFor(provider);

  const handleSubmit = form.onSubmit(async (values) => {
    setFormError(null);
    setSubmitting(true);
    try {
      await onSubmit(values);
    } catch (error) {
      setFormError(
        applyProblemToForm(form, error, {
          conflictField: 'name',
          mapField: (field) => formPathFor(field, values),
        }),
      );
    } finally {
      setSubmitting(false);
    }
  });

  const removeRow = (index: number) => {
    const row = form.values.credentials[index];
    if (row?.existing) form.setFieldValue('removedKeys', [...form.values.removedKeys, row.key]);
    form.removeListItem('credentials', index);
  };
  const restoreKey = (key: string) => {
    form.setFieldValue(
      'removedKeys',
      form.values.removedKeys.filter((k) => k !== key),
    );
    form.insertListItem('credentials', { ...newCredentialRow(key), existing: true });
  };

  let newRowNumber = 0;

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
        />
        <TextInput
          label="Region"
          withAsterisk
          placeholder={labels.regionExample}
          maxLength={REGION_MAX}
          rightSection={<LengthCounter value={form.values.region} max={REGION_MAX} />}
          rightSectionWidth={90}
          {...form.getInputProps('region')}
        />
        <TextInput label={labels.accountLabel} withAsterisk {...form.getInputProps('accountId')} />

        <Fieldset legend="Credentials">
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              Environment variables given to Terraform. Values are write-only: once saved they are never shown again.
            </Text>
            {form.values.credentials.map((row, index) => {
              if (row.existing) {
                return (
                  <Group key={row.rowId} align="flex-start" wrap="nowrap" data-testid="credential-row">
                    <Group gap="xs" w="40%" mih={36} wrap="nowrap">
                      <Text ff="monospace" size="sm" style={{ wordBreak: 'break-all' }}>
                        {row.key}
                      </Text>
                      <StatusBadge status="set" label="set" />
                    </Group>
                    <PasswordInput
                      flex={1}
                      aria-label={`New value for ${row.key}`}
                      placeholder="Leave empty to keep the current value"
                      autoComplete="new-password"
                      {...form.getInputProps(`credentials.${index}.value`)}
                    />
                    <Button variant="subtle" color="red" aria-label={`Remove ${row.key}`} onClick={() => removeRow(index)}>
                      Remove
                    </Button>
                  </Group>
                );
              }
              newRowNumber += 1;
              const n = newRowNumber;
              return (
                <Group key={row.rowId} align="flex-start" wrap="nowrap" data-testid="credential-row">
                  <TextInput
                    w="40%"
                    aria-label={`Variable name (credential ${n})`}
                    placeholder={labels.credentialExample}
                    autoComplete="off"
                    spellCheck={false}
                    {...form.getInputProps(`credentials.${index}.key`)}
                  />
                  <PasswordInput
                    flex={1}
                    aria-label={`Value (credential ${n})`}
                    placeholder="Value"
                    autoComplete="new-password"
                    {...form.getInputProps(`credentials.${index}.value`)}
                  />
                  <Button variant="subtle" color="red" aria-label={`Remove credential ${n}`} onClick={() => removeRow(index)}>
                    Remove
                  </Button>
                </Group>
              );
            })}
            {form.errors.credentials && (
              <Text size="sm" c="red" role="alert">
                {form.errors.credentials}
              </Text>
            )}
            {form.values.removedKeys.map((key) => (
              <Group key={key} gap="xs">
                <Text size="sm" c="dimmed">
                  <Text span ff="monospace">
                    {key}
                  </Text>{' '}
                  will be removed when you save.
                </Text>
                <Button size="compact-sm" variant="subtle" aria-label={`Keep ${key}`} onClick={() => restoreKey(key)}>
                  Undo
                </Button>
              </Group>
            ))}
            <div>
              <Button variant="light" size="xs" onClick={() => form.insertListItem('credentials', newCredentialRow())}>
                Add credential
              </Button>
            </div>
          </Stack>
        </Fieldset>

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
