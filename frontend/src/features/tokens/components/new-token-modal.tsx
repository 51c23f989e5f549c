import { Alert, Button, Group, Modal, NumberInput, Radio, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { applyProblemToForm } from '../../../lib/problem-form-errors';
import { useCan } from '../../access/api/permissions';
import { pipelineQueries } from '../../pipelines/api/pipeline-queries';
import { providerQueries, type Provider } from '../../providers/api/provider-queries';
import { DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS, type CreatedApiToken, type TokenKind } from '../api/token-queries';
import { useCreateToken } from '../api/use-create-token';
import { LengthCounter } from '../../../components/length-counter';
import { TOKEN_NAME_MAX } from '../../../lib/field-limits';

interface NewTokenValues {
  name: string;
  kind: TokenKind;
  pipelineId: string | null;
  expiresInDays: number | string;
}

const initialValues: NewTokenValues = { name: '', kind: 'personal', pipelineId: null, expiresInDays: DEFAULT_EXPIRY_DAYS };

interface NewTokenModalProps {
  opened: boolean;
  onClose: () => void;
  /** The token was made: the page shows its value, once. */
  onCreated: (created: CreatedApiToken) => void;
}

export function NewTokenModal({ opened, onClose, onCreated }: NewTokenModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="New API token" closeButtonProps={{ 'aria-label': 'Close' }} size="lg">
      {/* Mounted per opening: each starts empty. */}
      {opened && <NewTokenForm onCancel={onClose} onCreated={onCreated} />}
    </Modal>
  );
}

function NewTokenForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (created: CreatedApiToken) => void }) {
  const createToken = useCreateToken();
  const can = useCan();
  const pipelineTokens = can('tokens.createPipelineToken');
  const form = useForm<NewTokenValues>({ mode: 'controlled', initialValues });
  const [formError, setFormError] = useState<string | null>(null);
  const kind = form.getValues().kind;
  const pipelines = useQuery({ ...pipelineQueries.options(), enabled: kind === 'pipeline' });
  const providers = useQuery({ ...providerQueries.list(), enabled: kind === 'pipeline' });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const days = typeof values.expiresInDays === 'number' ? values.expiresInDays : Number.parseInt(values.expiresInDays, 10);
    try {
      const created = await createToken.mutateAsync({
        name: values.name.trim(),
        kind: values.kind,
        pipelineId: values.kind === 'pipeline' ? values.pipelineId : undefined,
        expiresInDays: Number.isNaN(days) ? undefined : days,
      });
      createToken.reset();
      onCreated(created);
    } catch (error) {
      setFormError(applyProblemToForm(form, error));
    }
  });

  const pipelineData = groupByProvider(pipelines.data ?? [], providers.data ?? []);

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="Name"
          description="What uses it, e.g. “nightly report script”"
          withAsterisk
          data-autofocus
          maxLength={TOKEN_NAME_MAX}
          rightSection={<LengthCounter value={form.values.name} max={TOKEN_NAME_MAX} />}
          rightSectionWidth={90}
          {...form.getInputProps('name')}
          key={form.key('name')}
        />
        <Radio.Group label="Kind" {...form.getInputProps('kind')} key={form.key('kind')}>
          <Stack gap="xs" mt="xs">
            <Radio value="personal" label="Personal" description="Acts as you, with your role; for scripts." />
            <Radio
              value="pipeline"
              label="Pipeline trigger"
              description={
                pipelineTokens.allowed
                  ? 'Can only trigger and read the runs of one pipeline; for CI.'
                  : `Can only trigger and read the runs of one pipeline; for CI. ${pipelineTokens.reason}.`
              }
              disabled={!pipelineTokens.allowed}
            />
          </Stack>
        </Radio.Group>
        {kind === 'pipeline' && (
          <Select
            label="Pipeline"
            placeholder={pipelines.isPending ? 'Loading pipelines…' : 'Choose a pipeline'}
            data={pipelineData}
            searchable
            nothingFoundMessage={pipelines.isError ? 'Could not load the pipelines' : 'No pipeline found'}
            {...form.getInputProps('pipelineId')}
            key={form.key('pipelineId')}
          />
        )}
        <NumberInput
          label="Expires in (days)"
          description={`1 to ${MAX_EXPIRY_DAYS}`}
          min={1}
          max={MAX_EXPIRY_DAYS}
          allowDecimal={false}
          allowNegative={false}
          {...form.getInputProps('expiresInDays')}
          key={form.key('expiresInDays')}
        />
        {formError && (
          <Alert color="red" variant="light" role="alert" style={{ whiteSpace: 'pre-line' }}>
            {formError}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={createToken.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={createToken.isPending}>
            Create token
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Pipelines grouped under their provider's display name ("Amazon Web Services"), its id until the list is in. */
function groupByProvider(pipelines: { id: string; name: string; provider: string }[], providers: Provider[]) {
  const groups = new Map<string, { value: string; label: string }[]>();
  for (const pipeline of pipelines) {
    const group = providers.find((p) => p.id === pipeline.provider)?.displayName ?? pipeline.provider;
    groups.set(group, [...(groups.get(group) ?? []), { value: pipeline.id, label: pipeline.name }]);
  }
  return [...groups].map(([group, items]) => ({ group, items }));
}
