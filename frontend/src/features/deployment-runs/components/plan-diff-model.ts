import type { PlanAction, PlanAttributeChange, PlanResourceChange, StructuredPlan } from '../api/run-queries';

/** Destructive changes first: what a reviewer must not miss comes before what merely adds. */
export const ACTION_ORDER: readonly PlanAction[] = ['delete', 'replace', 'update', 'create', 'read', 'no-op'];

export const ACTION_LOOK: Record<PlanAction, { label: string; icon: string; color: string }> = {
  delete: { label: 'Delete', icon: '−', color: 'red' },
  replace: { label: 'Replace', icon: '±', color: 'orange' },
  update: { label: 'Update', icon: '~', color: 'yellow' },
  create: { label: 'Create', icon: '+', color: 'green' },
  read: { label: 'Read', icon: '↻', color: 'blue' },
  'no-op': { label: 'No change', icon: '·', color: 'gray' },
};

export interface PlanFilter {
  /** Actions shown; every action when empty. */
  actions: readonly PlanAction[];
  /** Part of the address, ignoring case. */
  query: string;
}

/** The resources to show, destructive first, then by address; filtered by action and address. */
export function visibleResources(plan: StructuredPlan, filter: PlanFilter): PlanResourceChange[] {
  const needle = filter.query.trim().toLowerCase();
  const rank = (action: PlanAction) => {
    const index = ACTION_ORDER.indexOf(action);
    return index < 0 ? ACTION_ORDER.length : index;
  };
  return plan.resourceChanges
    .filter((r) => filter.actions.length === 0 || filter.actions.includes(r.action))
    .filter((r) => !needle || r.address.toLowerCase().includes(needle))
    .sort((a, b) => rank(a.action) - rank(b.action) || a.address.localeCompare(b.address));
}

/** How many resources each action touches, in the order the filter offers them (only actions present). */
export function actionCounts(plan: StructuredPlan): { action: PlanAction; count: number }[] {
  return ACTION_ORDER.map((action) => ({ action, count: plan.resourceChanges.filter((r) => r.action === action).length })).filter(
    (entry) => entry.count > 0,
  );
}

/** A JSON value that is an object or array, shown collapsed with a way to expand it. */
export function isNested(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** A scalar JSON value as Terraform shows it: strings quoted, `null` for none. */
export function formatScalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** The short form of a nested value: `{ 3 keys }`, `[ 2 items ]`. */
export function nestedSummary(value: object): string {
  if (Array.isArray(value)) return `[ ${value.length} item${value.length === 1 ? '' : 's'} ]`;
  const keys = Object.keys(value).length;
  return `{ ${keys} key${keys === 1 ? '' : 's'} }`;
}

export type ValueView = { kind: 'sensitive' } | { kind: 'unknown' } | { kind: 'scalar'; text: string } | { kind: 'nested'; value: object };

/** What to show for one side of an attribute change. */
export function viewOf(value: unknown, options: { sensitive: boolean; unknown?: boolean }): ValueView {
  if (options.sensitive) return { kind: 'sensitive' };
  if (options.unknown) return { kind: 'unknown' };
  return isNested(value) ? { kind: 'nested', value } : { kind: 'scalar', text: formatScalar(value) };
}

/** Which sides an attribute row shows: both for an update or replace, the new value for a create, the old for a delete. */
export function sidesOf(action: PlanAction): { before: boolean; after: boolean } {
  if (action === 'create') return { before: false, after: true };
  if (action === 'delete') return { before: true, after: false };
  return { before: true, after: true };
}

export function attributeSides(action: PlanAction, attribute: PlanAttributeChange): { before?: ValueView; after?: ValueView } {
  const sides = sidesOf(action);
  return {
    before: sides.before ? viewOf(attribute.before, { sensitive: attribute.sensitive }) : undefined,
    after: sides.after ? viewOf(attribute.after, { sensitive: attribute.sensitive, unknown: attribute.afterUnknown }) : undefined,
  };
}

export interface LeafChange {
  /** Where in the attribute's value: `replicas`, `tags.team`, `ports[1]`. */
  path: string;
  before: ValueView;
  after: ValueView;
}

const MISSING: ValueView = { kind: 'scalar', text: '(none)' };

/**
 * The leaves that differ between two nested values of an attribute, so a change deep in an object reads
 * `replicas: 3 → 4` instead of two whole objects to compare by eye. A key on one side only shows `(none)` on the other.
 */
export function leafChanges(before: unknown, after: unknown, path = ''): LeafChange[] {
  if (isNested(before) && isNested(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = Array.isArray(before)
      ? Array.from({ length: Math.max(before.length, (after as unknown[]).length) }, (_, index) => index)
      : [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => {
      const child = typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      const has = (value: object) => (Array.isArray(value) ? (key as number) < value.length : Object.hasOwn(value, key));
      const side = (value: object) => (value as Record<string | number, unknown>)[key];
      if (!has(before)) return [{ path: child, before: MISSING, after: viewOf(side(after), { sensitive: false }) }];
      if (!has(after)) return [{ path: child, before: viewOf(side(before), { sensitive: false }), after: MISSING }];
      return leafChanges(side(before), side(after), child);
    });
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: path || '(value)', before: viewOf(before, { sensitive: false }), after: viewOf(after, { sensitive: false }) }];
}

/** The leaf changes worth listing under an attribute row: both sides known, in clear, and nested. */
export function nestedChanges(action: PlanAction, attribute: PlanAttributeChange): LeafChange[] {
  const sides = sidesOf(action);
  if (!sides.before || !sides.after || attribute.sensitive || attribute.afterUnknown) return [];
  if (!isNested(attribute.before) || !isNested(attribute.after)) return [];
  return leafChanges(attribute.before, attribute.after);
}
