import createClient from 'openapi-fetch';
import type { paths } from './schema';

/** One client for the whole SPA; same origin as the API (the API serves the SPA, Vite proxies /api in dev). */
export const api = createClient<paths>({
  baseUrl: '',
  credentials: 'same-origin',
  // X-Amnify-Client: the API refuses changes made with the session cookie without it (a cross-site form cannot send it).
  headers: { Accept: 'application/json, application/problem+json', 'X-Amnify-Client': 'spa' },
  // Resolve fetch per call (not at import time) so tests can stub globalThis.fetch.
  fetch: (request) => globalThis.fetch(request),
});

/** An RFC 9457 problem details body as the API sends it. */
export interface Problem {
  type?: string | null;
  title?: string | null;
  status?: number | null;
  detail?: string | null;
  instance?: string | null;
  errors?: Record<string, string[]> | null;
  [extension: string]: unknown;
}

/** A non-OK answer from the API, carrying its problem details. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly type: string | undefined;
  /** Validation messages by camelCase field path, e.g. `{ name: ["Name is required."] }`. */
  readonly errors: Record<string, string[]>;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    const title = problem.title?.trim() || plainStatusTitle(status);
    const detail = problem.detail?.trim() || undefined;
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.type = problem.type ?? undefined;
    this.errors = normaliseErrors(problem.errors);
    this.problem = problem;
  }

  /** Builds the error from a response and its parsed body; a body that is not a problem document (e.g. a proxy's HTML page) is ignored. */
  static fromResponse(response: Response, body: unknown): ApiError {
    return new ApiError(response.status, isObject(body) ? (body as Problem) : {});
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** What an openapi-fetch call resolves to. */
export interface ClientResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Awaits an openapi-fetch call and returns its data, or throws an {@link ApiError}
 * when the response is not OK (judged by `response.ok`, never by the `error` field).
 */
export async function unwrap<T>(call: Promise<ClientResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    throw ApiError.fromResponse(response, error);
  }
  return data as T;
}

/** What an HTTP status means to the user, in plain words (for answers without a title of their own). */
export function plainStatusTitle(status: number): string {
  switch (status) {
    case 400:
      return 'The request is not valid';
    case 401:
      return 'You are not signed in';
    case 403:
      return 'You are not allowed to do this';
    case 404:
      return 'Not found';
    case 409:
      return 'This cannot be done now';
    case 412:
      return 'Someone else changed this first';
    default:
      return status >= 500 ? 'The server failed to answer' : `Request failed (${status})`;
  }
}

function normaliseErrors(errors: Problem['errors']): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  if (!isObject(errors)) return result;
  for (const [field, messages] of Object.entries(errors)) {
    const list = Array.isArray(messages) ? messages : [messages];
    const texts = list.filter((m): m is string => typeof m === 'string' && m.length > 0);
    if (texts.length > 0) result[field] = texts;
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
