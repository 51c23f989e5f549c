import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithApp } from '../../../test/render';
import type { AuditEvent } from '../api/audit-queries';
import { fakeFetch, json } from '../../../test/fake-fetch';
import { AuditFilters } from './audit-filters';
import { resourceHref } from './audit-model';
import { AuditTable } from './audit-table';

function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: 'e1',
    at: '2026-11-21T10:00:05Z',
    actor: 'alice@example.com',
    action: 'deployment.update',
    resourceType: 'deployment',
    resourceId: 'd1',
    resourceName: 'orders-db',
    resourceProvider: 'aws',
    details: 'requireDistinctApprover: false → true',
    sourceIp: '10.0.0.7',
    ...overrides,
  };
}

describe('audit resources', () => {
  it('links each kind of resource to its page', () => {
    expect(resourceHref(event())).toBe('/aws/deployments/d1');
    expect(resourceHref(event({ resourceType: 'project', resourceId: 'p1' }))).toBe('/aws/projects/p1');
    expect(resourceHref(event({ resourceType: 'pipelineRun', resourceId: 'r1' }))).toBe('/aws/pipeline-runs/r1');
    expect(resourceHref(event({ resourceType: 'deploymentRun', resourceId: 'r2' }))).toBe('/aws/runs/r2');
    expect(resourceHref(event({ resourceType: 'cloudEnvironment', resourceName: 'prod eu' }))).toBe('/aws/cloud-environments?q=prod%20eu');
    expect(resourceHref(event({ resourceType: 'user', resourceProvider: null }))).toBe('/users');
  });

  it('links nothing that is gone or has no page', () => {
    expect(resourceHref(event({ resourceName: null }))).toBeUndefined();
    expect(resourceHref(event({ resourceType: 'token', resourceProvider: null }))).toBeUndefined();
  });
});

describe('AuditTable', () => {
  it('shows the resource by name as a link, and the details in full', () => {
    renderWithApp(<AuditTable events={[event()]} />);
    const row = within(screen.getByRole('table', { name: 'Audit events' })).getAllByRole('row')[1]!;

    expect(within(row).getByRole('link', { name: 'orders-db' })).toHaveAttribute('href', '/aws/deployments/d1');
    expect(row).toHaveTextContent('requireDistinctApprover: false → true');
    expect(row.querySelector('time')).toHaveAttribute('dateTime', '2026-11-21T10:00:05Z');
  });

  it('shows the id of a resource that is gone', () => {
    renderWithApp(<AuditTable events={[event({ resourceName: null, resourceProvider: null })]} />);
    const row = within(screen.getByRole('table', { name: 'Audit events' })).getAllByRole('row')[1]!;

    expect(within(row).queryByRole('link')).toBeNull();
    expect(row).toHaveTextContent('d1');
  });
});

describe('AuditFilters', () => {
  it('offers the known actions to filter by', async () => {
    fakeFetch({ 'GET /api/v1/audit-events/actions': () => json({ actions: ['pipelineRun.cancel', 'pipelineRun.trigger'] }) });
    const applied: string[] = [];
    const { user } = renderWithApp(
      <AuditFilters
        values={{ actor: '', action: '', resourceType: '', from: '', to: '' }}
        onApply={(values) => applied.push(values.action)}
      />,
    );

    await user.type(screen.getByRole('combobox', { name: 'Action' }), 'pipelineRun.');
    await user.click(await screen.findByRole('option', { name: 'pipelineRun.cancel', hidden: true }));
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));

    expect(applied).toEqual(['pipelineRun.cancel']);
  });
});
