import { Alert, Button, Checkbox, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { applyProblemToForm } from '../../../lib/problem-form-errors';
import { WEBHOOK_EVENT_TYPES, type CreatedWebhook } from '../api/webhook-queries';
import { useCreateWebhook } from '../api/use-webhook-mutations';

interface NewWebhookValues {
  url: string;
  description: string;
  eventTypes: string[];
}

const initialValues: NewWebhookValues = { url: '', description: '', eventTypes: [] };

interface NewWebhookModalProps {
  opened: boolean;
  onClose: () => void;
  /** The endpoint was registered: the page shows its secret, once. */
  onCreated: (created: CreatedWebhook) => void;
}

export function NewWebhookModal({ opened, onClose, onCreated }: NewWebhookModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="New webhook" closeButtonProps={{ 'aria-label': 'Close' }} size="lg">
      {/* Mounted per opening: each starts empty. */}
      {opened && <NewWebhookForm onCancel={onClose} onCreated={onCreated} />}
    </Modal>
  );
}

function NewWebhookForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (created: CreatedWebhook) => void }) {
  const createWebhook = useCreateWebhook();
  const form = useForm<NewWebhookValues>({ mode: 'controlled', initialValues });
  const [formError, setFormError] = useState<string | null>(null);

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const created = await createWebhook.mutateAsync({
        url: values.url.trim(),
        description: values.description.trim() || null,
        eventTypes: values.eventTypes,
      });
      createWebhook.reset();
      onCreated(created);
    } catch (error) {
      setFormError(applyProblemToForm(form, error));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="URL"
          description="Where the events are POSTed. Addresses on private networks are refused unless an admin setting allows them."
          placeholder="https://ci.example.com/hooks/amnify"
          withAsterisk
          data-autofocus
          {...form.getInputProps('url')}
          key={form.key('url')}
        />
        <TextInput label="Description" maxLength={200} {...form.getInputProps('description')} key={form.key('description')} />
        <Checkbox.Group
          label="Events"
          description="None chosen: every event."
          {...form.getInputProps('eventTypes')}
          key={form.key('eventTypes')}
        >
          <Stack gap="xs" mt="xs">
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <Checkbox key={type.value} value={type.value} label={type.label} description={type.value} />
            ))}
          </Stack>
        </Checkbox.Group>
        {formError && (
          <Alert color="red" variant="light" role="alert" style={{ whiteSpace: 'pre-line' }}>
            {formError}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={createWebhook.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={createWebhook.isPending}>
            Create webhook
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
