import { QueryObserver, type QueryKey } from '@tanstack/react-query';
import { waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createQueryClient } from '../../../lib/query-client';
import { fakeFetch, json } from '../../../test/fake-fetch';
import { pipeline, pipelineRun } from '../test/pipeline-fixtures';
import { pipelineKeys, pipelineQueries, pipelineRunKeys, pipelineRunQueries } from './pipeline-queries';

/**
 * With the app's defaults (data fresh for 30 s), a status query that already has data in the cache — e.g. the
 * pipeline as it was before opening one of its runs — must still ask the server again when a page shows it.
 */
async function refetchesWhenShownAgain(options: { queryKey: QueryKey }, cached: unknown, route: string) {
  const server = fakeFetch({ [route]: () => json(cached, 200, { ETag: '"7"' }) });
  const queryClient = createQueryClient();
  queryClient.setQueryData(options.queryKey, cached);

  const observer = new QueryObserver(queryClient, options as never);
  const unsubscribe = observer.subscribe(() => {});
  await waitFor(() => expect(server.calls(route)).toHaveLength(1));
  unsubscribe();
  queryClient.clear();
}

describe('status queries are asked again whenever a page shows them', () => {
  it('the pipeline (its steps’ statuses)', async () => {
    await refetchesWhenShownAgain(pipelineQueries.detail('p1'), { pipeline: pipeline(), etag: '"7"' }, 'GET /api/v1/pipelines/p1');
    expect(pipelineQueries.detail('p1').queryKey).toEqual(pipelineKeys.detail('p1'));
  });

  it('the pipeline’s run history', async () => {
    const page = { pages: [{ items: [pipelineRun()], nextCursor: null }], pageParams: [null] };
    await refetchesWhenShownAgain(pipelineQueries.runs('p1'), page, 'GET /api/v1/pipelines/p1/runs');
  });

  it('a pipeline run', async () => {
    await refetchesWhenShownAgain(pipelineRunQueries.detail('r1'), pipelineRun(), 'GET /api/v1/pipeline-runs/r1');
    expect(pipelineRunQueries.detail('r1').queryKey).toEqual(pipelineRunKeys.detail('r1'));
  });

  it('the pipelines list (last run status)', async () => {
    const page = { pages: [{ items: [], nextCursor: null }], pageParams: [null] };
    await refetchesWhenShownAgain(pipelineQueries.list({ provider: 'aws', q: '' }), page, 'GET /api/v1/pipelines');
  });
});
