import { describe, expect, it } from 'vitest';
import { fakeFetch, json, noContent, problem } from '../test/fake-fetch';
import { ApiError, api, unwrap } from './client';

describe('unwrap', () => {
  it('returns the data of an OK response', async () => {
    fakeFetch({ 'GET /api/v1/providers': () => json({ items: [{ id: 'aws', displayName: 'AWS' }], nextCursor: null }) });

    const page = await unwrap(api.GET('/api/v1/providers'));

    expect(page.items).toEqual([{ id: 'aws', displayName: 'AWS' }]);
  });

  it('throws an ApiError carrying the problem details of a non-OK response', async () => {
    fakeFetch({
      'POST /api/v1/projects': () =>
        problem(400, { title: 'Validation failed', detail: 'See errors.', errors: { name: ['Name is required.'] } }),
    });

    const error = await unwrap(api.POST('/api/v1/projects', { body: { provider: 'aws', name: '' } })).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      title: 'Validation failed',
      detail: 'See errors.',
      errors: { name: ['Name is required.'] },
    });
  });

  it('throws on a non-OK response whose body is not a problem document', async () => {
    fakeFetch({
      'GET /api/v1/providers': () => new Response('<html>Bad gateway</html>', { status: 502 }),
    });

    const error = await unwrap(api.GET('/api/v1/providers')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(502);
    expect((error as ApiError).title).toBe('The server failed to answer');
    expect((error as ApiError).errors).toEqual({});
  });

  it('treats 204 No Content as success', async () => {
    const server = fakeFetch({ 'DELETE /api/v1/projects/p1': () => noContent() });

    await expect(unwrap(api.DELETE('/api/v1/projects/{id}', { params: { path: { id: 'p1' } } }))).resolves.toBeUndefined();
    expect(server.calls('DELETE /api/v1/projects/p1')).toHaveLength(1);
  });
});

describe('api', () => {
  it('marks every request as coming from the SPA, as the API requires for changes made with the session cookie', async () => {
    const server = fakeFetch({ 'POST /api/v1/projects': () => json({}, 201) });

    await unwrap(api.POST('/api/v1/projects', { body: { provider: 'aws', name: 'web' } }));

    expect(server.requests[0]!.headers.get('X-Amnify-Client')).toBe('spa');
  });
});
