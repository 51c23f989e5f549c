import { QueryObserver, type QueryKey } from '@tanstack/react-query';
import { waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createQueryClient } from '../../../lib/query-client';
import { fakeFetch, json } from '../../../test/fake-fetch';
import { runQueries } from '../../deployment-runs/api/run-queries';
import { deploymentQueries } from './deployment-queries';

/** With the app's defaults (data fresh for 30 s), cached statuses are still asked again when a page shows them. */
async function refetchesWhenShownAgain(options: { queryKey: QueryKey }, cached: unknown, route: string) {
  const server = fakeFetch({ [route]: () => json(cached) });
  const queryClient = createQueryClient();
  queryClient.setQueryData(options.queryKey, cached);

  const observer = new QueryObserver(queryClient, options as never);
  const unsubscribe = observer.subscribe(() => {});
  await waitFor(() => expect(server.calls(route)).toHaveLength(1));
  unsubscribe();
  queryClient.clear();
}

const emptyPages = { pages: [{ items: [], nextCursor: null }], pageParams: [null] };

describe('deployment status queries are asked again whenever a page shows them', () => {
  it('a deployment', () => refetchesWhenShownAgain(deploymentQueries.detail('d1'), { id: 'd1' }, 'GET /api/v1/deployments/d1'));
  it('its run history', () => refetchesWhenShownAgain(deploymentQueries.runs('d1'), emptyPages, 'GET /api/v1/deployments/d1/runs'));
  it('the deployments list', () =>
    refetchesWhenShownAgain(deploymentQueries.list({ provider: 'aws', q: '' }), emptyPages, 'GET /api/v1/deployments'));
  it('a deployment run', () =>
    refetchesWhenShownAgain(runQueries.detail('run1'), { id: 'run1', status: 'completed' }, 'GET /api/v1/deployment-runs/run1'));
});
