import { Autocomplete, Button, Group, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { auditQueries } from '../api/audit-queries';
import { AUDIT_RESOURCE_TYPES } from './audit-model';

/** What the filter form holds: exact actor, action and resource type; `from`/`to` are local days (`YYYY-MM-DD`). */
export interface AuditFilterValues {
  actor: string;
  action: string;
  resourceType: string;
  from: string;
  to: string;
}

const emptyAuditFilters: AuditFilterValues = { actor: '', action: '', resourceType: '', from: '', to: '' };

interface AuditFiltersProps {
  values: AuditFilterValues;
  onApply: (values: AuditFilterValues) => void;
}

/** The audit log's filters; applied on submit (they match exactly, so every keystroke would be a wasted query). */
export function AuditFilters({ values, onApply }: AuditFiltersProps) {
  const form = useForm<AuditFilterValues>({ mode: 'uncontrolled', initialValues: values });
  const actions = useQuery(auditQueries.actions());
  const filtered = Object.values(values).some(Boolean);

  return (
    <form
      onSubmit={form.onSubmit((submitted) =>
        onApply({
          actor: submitted.actor.trim(),
          action: submitted.action.trim(),
          resourceType: submitted.resourceType.trim(),
          from: submitted.from,
          to: submitted.to,
        }),
      )}
      aria-label="Filter audit events"
    >
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput label="Actor" placeholder="alice@example.com" w={220} {...form.getInputProps('actor')} key={form.key('actor')} />
        {/* The actions the server records, to pick from; typing filters too (while the list loads, or if it cannot). */}
        <Autocomplete
          label="Action"
          placeholder="deployment.update"
          w={220}
          data={actions.data ?? []}
          limit={50}
          maxDropdownHeight={280}
          {...form.getInputProps('action')}
          key={form.key('action')}
        />
        <Autocomplete
          label="Resource type"
          data={[...AUDIT_RESOURCE_TYPES]}
          placeholder="deployment"
          w={160}
          {...form.getInputProps('resourceType')}
          key={form.key('resourceType')}
        />
        <TextInput label="From" type="date" w={160} {...form.getInputProps('from')} key={form.key('from')} />
        <TextInput label="To" type="date" w={160} {...form.getInputProps('to')} key={form.key('to')} />
        <Button type="submit">Apply filters</Button>
        {filtered && (
          <Button
            variant="default"
            onClick={() => {
              form.setValues(emptyAuditFilters);
              onApply(emptyAuditFilters);
            }}
          >
            Clear
          </Button>
        )}
      </Group>
    </form>
  );
}
