import { vi } from 'vitest';

/** A request the code under test sent, with its JSON body already parsed. */
export interface RecordedRequest {
  method: string;
  url: URL;
  body: unknown;
  headers: Headers;
}

type Handler = (request: RecordedRequest) => Response | Promise<Response>;

/** `'GET /api/v1/projects'` → handler; the path is matched without the query string. */
export type Routes = Record<string, Handler>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function problem(status: number, fields: { title: string; detail?: string; errors?: Record<string, string[]> }) {
  return new Response(JSON.stringify({ type: 'about:blank', status, ...fields }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/**
 * Replaces `fetch` with a table of routes and records every request.
 * A request no route answers fails the test with a 599 problem naming it.
 */
export function fakeFetch(routes: Routes) {
  const requests: RecordedRequest[] = [];
  const mock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const text = await request.text();
    const recorded: RecordedRequest = {
      method: request.method,
      url,
      body: text ? JSON.parse(text) : undefined,
      headers: request.headers,
    };
    requests.push(recorded);
    const handler = routes[`${request.method} ${url.pathname}`];
    if (!handler) {
      return problem(599, { title: `No fake route for ${request.method} ${url.pathname}` });
    }
    return handler(recorded);
  });
  vi.stubGlobal('fetch', mock);
  return {
    requests,
    /** The requests sent to one route, e.g. `calls('PATCH /api/v1/projects/1')`. */
    calls: (route: string) => requests.filter((r) => `${r.method} ${r.url.pathname}` === route),
  };
}
