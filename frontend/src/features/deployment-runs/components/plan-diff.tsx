import { Button, Chip, Group, Stack, Text, TextInput } from '@mantine/core';
import { memo, useEffect, useMemo, useState } from 'react';
import type { PlanAction, PlanAttributeChange, PlanOutputChange, PlanResourceChange, StructuredPlan } from '../api/run-queries';
import {
  ACTION_LOOK,
  actionCounts,
  attributeSides,
  nestedChanges,
  nestedSummary,
  visibleResources,
  type ValueView,
} from './plan-diff-model';
import classes from './plan-diff.module.css';

/** Up to this many resources start expanded; a bigger plan starts collapsed, so thousands stay fast. */
export const EXPANDED_UP_TO = 25;
/** Resources drawn per frame: the first screen shows at once, the rest follows without blocking the page. */
const CHUNK = 200;

function Value({ view }: { view: ValueView }) {
  switch (view.kind) {
    case 'sensitive':
      return <em style={{ color: 'var(--mantine-color-dimmed)' }}>(sensitive)</em>;
    case 'unknown':
      return <em style={{ color: 'var(--mantine-color-dimmed)' }}>(known after apply)</em>;
    case 'scalar':
      return <span>{view.text}</span>;
    case 'nested':
      return (
        <details style={{ display: 'inline-block', verticalAlign: 'top' }}>
          <summary style={{ cursor: 'pointer' }}>{nestedSummary(view.value)}</summary>
          <pre style={{ margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{JSON.stringify(view.value, null, 2)}</pre>
        </details>
      );
  }
}

function AttributeRow({ action, attribute }: { action: PlanAction; attribute: PlanAttributeChange }) {
  const { before, after } = attributeSides(action, attribute);
  const leaves = nestedChanges(action, attribute);
  return (
    <li data-attribute={attribute.path} style={{ overflowWrap: 'anywhere' }}>
      <span style={{ fontWeight: 600 }}>{attribute.path}</span>
      {': '}
      {before && <Value view={before} />}
      {before && after && ' → '}
      {after && <Value view={after} />}
      {/* What changed inside a nested value, leaf by leaf: `replicas: 3 → 4`. */}
      {leaves.length > 0 && (
        <ul aria-label={`Changes in ${attribute.path}`} className={classes.leaves}>
          {leaves.map((leaf) => (
            <li key={leaf.path} data-leaf={leaf.path}>
              <span style={{ fontWeight: 600 }}>{leaf.path}</span>
              {': '}
              <Value view={leaf.before} />
              {' → '}
              <Value view={leaf.after} />
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

const ResourceItem = memo(function ResourceItem({ resource, initiallyOpen }: { resource: PlanResourceChange; initiallyOpen: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const look = ACTION_LOOK[resource.action] ?? ACTION_LOOK['no-op'];
  const color = `var(--mantine-color-${look.color}-light-color)`;
  return (
    <li data-resource={resource.address} data-action={resource.action} className={classes.resource}>
      <details open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary className={classes.summary}>
          <span aria-hidden className={classes.icon} style={{ color }}>
            {look.icon}
          </span>{' '}
          <span className={classes.address}>{resource.address}</span>{' '}
          <span className={classes.label} style={{ color, background: `var(--mantine-color-${look.color}-light)` }}>
            {look.label}
          </span>
        </summary>
        {/* Rows are drawn only once opened: a collapsed plan of thousands of resources costs one line each. */}
        {open &&
          (resource.attributes.length > 0 ? (
            <ul className={classes.attributes}>
              {resource.attributes.map((attribute) => (
                <AttributeRow key={attribute.path} action={resource.action} attribute={attribute} />
              ))}
            </ul>
          ) : (
            <div className={classes.none}>No attribute changes.</div>
          ))}
      </details>
    </li>
  );
});

function OutputRow({ output }: { output: PlanOutputChange }) {
  const look = ACTION_LOOK[output.action] ?? ACTION_LOOK['no-op'];
  const attribute: PlanAttributeChange = { path: output.name, ...output };
  const { before, after } = attributeSides(output.action, attribute);
  return (
    <li data-output={output.name} style={{ listStyle: 'none', overflowWrap: 'anywhere', fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 }}>
      <span aria-hidden style={{ display: 'inline-block', width: 16, fontWeight: 700, color: `var(--mantine-color-${look.color}-7)` }}>
        {look.icon}
      </span>
      <span style={{ fontWeight: 600 }}>{output.name}</span>
      {` (${look.label.toLowerCase()}): `}
      {before && <Value view={before} />}
      {before && after && ' → '}
      {after && <Value view={after} />}
    </li>
  );
}

/**
 * A plan as a resource diff: destructive changes first, a colour and icon per action, `replicas: 3 → 4` per attribute
 * (nested values expand, unknown and sensitive values say so), filtered by action and searched by address, then the
 * output changes. Nothing is cut: a large plan starts collapsed instead.
 */
export function PlanDiff({ plan }: { plan: StructuredPlan }) {
  const [actions, setActions] = useState<string[]>([]);
  const [query, setQuery] = useState('');
  /** Bumped by "Expand all"/"Collapse all" to remount the items with that state. */
  const [expandAll, setExpandAll] = useState<{ open: boolean; generation: number } | null>(null);
  const counts = useMemo(() => actionCounts(plan), [plan]);
  const resources = useMemo(() => visibleResources(plan, { actions: actions as PlanAction[], query }), [plan, actions, query]);
  const initiallyOpen = expandAll?.open ?? plan.resourceChanges.length <= EXPANDED_UP_TO;
  const outputs = plan.outputChanges.filter((o) => o.action !== 'no-op');
  const [drawn, setDrawn] = useState(CHUNK);
  useEffect(() => {
    if (drawn >= resources.length) return;
    const timer = setTimeout(() => setDrawn((count) => count + CHUNK), 0);
    return () => clearTimeout(timer);
  }, [drawn, resources.length]);

  return (
    <Stack gap="sm">
      <Group gap="xs" wrap="wrap">
        <Chip.Group multiple value={actions} onChange={setActions}>
          {counts.map(({ action, count }) => (
            <Chip key={action} value={action} size="xs" color={ACTION_LOOK[action].color}>
              {`${ACTION_LOOK[action].icon} ${ACTION_LOOK[action].label} ${count}`}
            </Chip>
          ))}
        </Chip.Group>
      </Group>
      <Group gap="xs" wrap="wrap">
        <TextInput
          size="xs"
          aria-label="Search resources by address"
          placeholder="Search by address"
          value={query}
          onChange={(event) => setQuery(event.currentTarget.value)}
          w={{ base: '100%', xs: 260 }}
        />
        <Button size="xs" variant="subtle" onClick={() => setExpandAll((e) => ({ open: true, generation: (e?.generation ?? 0) + 1 }))}>
          Expand all
        </Button>
        <Button size="xs" variant="subtle" onClick={() => setExpandAll((e) => ({ open: false, generation: (e?.generation ?? 0) + 1 }))}>
          Collapse all
        </Button>
        <Text size="xs" c="dimmed" aria-live="polite">
          {`${resources.length} of ${plan.resourceChanges.length} resources`}
        </Text>
      </Group>
      {resources.length > 0 ? (
        <ul aria-label="Resource changes" style={{ margin: 0, padding: 0 }} key={expandAll?.generation ?? 0}>
          {resources.slice(0, drawn).map((resource) => (
            <ResourceItem key={resource.address} resource={resource} initiallyOpen={initiallyOpen} />
          ))}
        </ul>
      ) : (
        <Text size="sm" c="dimmed">
          {plan.resourceChanges.length === 0 ? 'No resource changes.' : 'No resource matches the filter.'}
        </Text>
      )}
      {outputs.length > 0 && (
        <div>
          <Text size="sm" fw={600} mb={4} id="plan-output-changes">
            Output changes
          </Text>
          <ul aria-labelledby="plan-output-changes" style={{ margin: 0, padding: 0 }}>
            {outputs.map((output) => (
              <OutputRow key={output.name} output={output} />
            ))}
          </ul>
        </div>
      )}
    </Stack>
  );
}
