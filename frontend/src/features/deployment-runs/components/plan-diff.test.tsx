import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithApp } from '../../../test/render';
import type { PlanResourceChange, StructuredPlan } from '../api/run-queries';
import { PlanDiff } from './plan-diff';

function resource(address: string, action: PlanResourceChange['action'], attributes: PlanResourceChange['attributes'] = []): PlanResourceChange {
  const [type = '', name = ''] = address.split('.');
  return { address, moduleAddress: null, type, name, action, attributes };
}

const plan: StructuredPlan = {
  resourceChanges: [
    resource('terraform_data.app', 'create', [
      { path: 'input', before: null, after: { replicas: 3 }, afterUnknown: false, sensitive: false },
      { path: 'id', before: null, after: null, afterUnknown: true, sensitive: false },
    ]),
    resource('terraform_data.db', 'update', [
      { path: 'replicas', before: 3, after: 4, afterUnknown: false, sensitive: false },
      { path: 'password', before: null, after: null, afterUnknown: false, sensitive: true },
    ]),
    resource('terraform_data.old', 'delete', [{ path: 'name', before: 'old', after: null, afterUnknown: false, sensitive: false }]),
    resource('terraform_data.net', 'replace'),
  ],
  outputChanges: [
    { name: 'url', action: 'update', before: 'http://a', after: null, afterUnknown: true, sensitive: false },
    { name: 'same', action: 'no-op', before: 1, after: 1, afterUnknown: false, sensitive: false },
  ],
};

const addresses = () =>
  [...document.querySelectorAll('[data-resource]')].map((element) => element.getAttribute('data-resource'));

describe('PlanDiff', () => {
  it('lists destructive changes first: delete, replace, update, create', () => {
    renderWithApp(<PlanDiff plan={plan} />);

    expect(addresses()).toEqual(['terraform_data.old', 'terraform_data.net', 'terraform_data.db', 'terraform_data.app']);
    expect(document.querySelector('[data-resource="terraform_data.old"] summary')).toHaveTextContent('− terraform_data.old Delete');
  });

  it('shows an update as before → after, masks sensitive values and says what is known only after apply', () => {
    renderWithApp(<PlanDiff plan={plan} />);
    const db = document.querySelector('[data-resource="terraform_data.db"]') as HTMLElement;

    expect(db.querySelector('[data-attribute="replicas"]')).toHaveTextContent('replicas: 3 → 4');
    expect(db.querySelector('[data-attribute="password"]')).toHaveTextContent('password: (sensitive) → (sensitive)');
    const app = document.querySelector('[data-resource="terraform_data.app"]') as HTMLElement;
    expect(app.querySelector('[data-attribute="id"]')).toHaveTextContent('id: (known after apply)');
    expect(document.querySelector('[data-resource="terraform_data.old"] [data-attribute="name"]')).toHaveTextContent('name: "old"');
  });

  it('shows a nested value folded, and in full once expanded', async () => {
    const { user } = renderWithApp(<PlanDiff plan={plan} />);
    const input = document.querySelector('[data-attribute="input"]') as HTMLElement;
    expect(input).toHaveTextContent('input: { 1 key }');

    await user.click(within(input).getByText('{ 1 key }'));

    expect(input.querySelector('details')).toHaveAttribute('open');
    expect(input.querySelector('pre')).toHaveTextContent('"replicas": 3');
  });

  it('filters by action and searches by address', async () => {
    const { user } = renderWithApp(<PlanDiff plan={plan} />);

    await user.click(screen.getByRole('checkbox', { name: /Delete 1/ }));
    expect(addresses()).toEqual(['terraform_data.old']);
    await user.click(screen.getByRole('checkbox', { name: /Update 1/ }));
    expect(addresses()).toEqual(['terraform_data.old', 'terraform_data.db']);

    await user.type(screen.getByRole('textbox', { name: 'Search resources by address' }), 'DB');
    expect(addresses()).toEqual(['terraform_data.db']);
    expect(screen.getByText('1 of 4 resources')).toBeInTheDocument();
  });

  it('lists the outputs that change, not those that stay', () => {
    renderWithApp(<PlanDiff plan={plan} />);
    const outputs = screen.getByRole('list', { name: 'Output changes' });

    expect(within(outputs).getAllByRole('listitem')).toHaveLength(1);
    expect(outputs).toHaveTextContent('url (update): "http://a" → (known after apply)');
  });

  it('renders 2,000 resources in full, collapsed, the first screen fast', { timeout: 90_000 }, async () => {
    const many: StructuredPlan = {
      resourceChanges: Array.from({ length: 2_000 }, (_, i) =>
        resource(`terraform_data.r${String(i).padStart(4, '0')}`, i % 4 === 0 ? 'delete' : 'update', [
          { path: 'replicas', before: i, after: i + 1, afterUnknown: false, sensitive: false },
        ]),
      ),
      outputChanges: [],
    };
    const started = performance.now();
    const { user } = renderWithApp(<PlanDiff plan={many} />);
    const firstScreen = performance.now() - started;
    // None left out: the rest follows the first screen.
    await waitFor(() => expect(addresses()).toHaveLength(2_000), { timeout: 60_000 });
    const all = performance.now() - started;
    console.info(`PlanDiff, 2,000 resources (jsdom): first screen ${firstScreen.toFixed(0)} ms, all ${all.toFixed(0)} ms`);

    expect(addresses()[0]).toBe('terraform_data.r0000');
    // None expanded until asked.
    expect(document.querySelectorAll('[data-attribute]')).toHaveLength(0);
    expect(firstScreen).toBeLessThan(3_000);
    await user.click(document.querySelector('[data-resource="terraform_data.r0001"] summary') as HTMLElement);
    expect(document.querySelector('[data-resource="terraform_data.r0001"] [data-attribute="replicas"]')).toHaveTextContent('replicas: 1 → 2');
  });

  it('lists what changed inside a nested value leaf by leaf: replicas: 3 → 4', () => {
    const nested: StructuredPlan = {
      resourceChanges: [
        resource('terraform_data.service', 'update', [
          {
            path: 'input',
            before: { name: 'web', replicas: 3, env: { A: '1' }, ports: [80] },
            after: { name: 'web', replicas: 4, env: { A: '1', B: '2' }, ports: [80, 443] },
            afterUnknown: false,
            sensitive: false,
          },
          { path: 'output', before: { replicas: 3 }, after: null, afterUnknown: true, sensitive: false },
        ]),
      ],
      outputChanges: [],
    };
    renderWithApp(<PlanDiff plan={nested} />);

    const leaves = screen.getByRole('list', { name: 'Changes in input' });
    expect(within(leaves).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'env.B: (none) → "2"',
      'ports[1]: (none) → 443',
      'replicas: 3 → 4',
    ]);
    // Nothing to compare leaf by leaf when the new value is known only after apply.
    expect(screen.queryByRole('list', { name: 'Changes in output' })).not.toBeInTheDocument();
  });
});
