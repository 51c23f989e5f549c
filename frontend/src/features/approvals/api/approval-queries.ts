import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';

export type PendingApproval = components['schemas']['PendingApproval'];

/** The most gates one inbox page shows: the API's largest page (an approver with more has other problems). */
export const INBOX_LIMIT = 200;

/** How often the inbox (and its badge in the header) is refreshed while open: gates open as plans finish. */
export const INBOX_POLL_INTERVAL_MS = 10_000;

export const approvalKeys = {
  all: ['approvals'] as const,
  inbox: (provider: string) => [...approvalKeys.all, 'inbox', provider] as const,
};

export const approvalQueries = {
  /** The gates the signed-in user may decide now in one provider, oldest waiting first. */
  inbox: (provider: string) =>
    queryOptions({
      queryKey: approvalKeys.inbox(provider),
      queryFn: ({ signal }) =>
        unwrap(api.GET('/api/v1/approvals', { params: { query: { provider, limit: INBOX_LIMIT } }, signal })),
      refetchInterval: INBOX_POLL_INTERVAL_MS,
    }),
};
