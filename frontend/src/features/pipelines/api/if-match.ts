import type { QueryClient } from '@tanstack/react-query';
import { isApiError } from '../../../api/client';
import { pipelineKeys, type VersionedPipeline } from './pipeline-queries';

/**
 * `If-Match` with the ETag of the pipeline as this page last received it, so an edit made on a stale view is refused
 * (412) instead of applied to a pipeline the user has not seen. Empty when the pipeline is not loaded.
 */
export function ifMatch(queryClient: QueryClient, pipelineId: string): Record<string, string> {
  const etag = queryClient.getQueryData<VersionedPipeline>(pipelineKeys.detail(pipelineId))?.etag;
  return etag ? { 'If-Match': etag } : {};
}

/** After a 412 the cached pipeline is known to be stale: fetch the one the server has. */
export function refreshIfStale(queryClient: QueryClient, pipelineId: string, error: unknown) {
  if (isApiError(error) && error.status === 412) {
    return queryClient.invalidateQueries({ queryKey: pipelineKeys.detail(pipelineId) });
  }
}
