import { ApiError, type ClientResult } from '../../../api/client';
import type { VersionedPipeline } from './pipeline-queries';

/**
 * Like `unwrap`, for calls that answer a pipeline: keeps the response's `ETag` with it.
 * Falls back to the pipeline's version (the server's ETag is that number, quoted) if the header is not readable.
 */
export async function unwrapVersioned<T extends VersionedPipeline['pipeline']>(
  call: Promise<ClientResult<T>>,
): Promise<VersionedPipeline> {
  const { data, error, response } = await call;
  if (!response.ok) {
    throw ApiError.fromResponse(response, error);
  }
  const pipeline = data as T;
  return { pipeline, etag: response.headers.get('ETag') ?? `"${pipeline.version}"` };
}
