import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';

export type ApiToken = components['schemas']['ApiToken'];
export type CreatedApiToken = components['schemas']['CreatedApiToken'];
export type TokenKind = 'personal' | 'pipeline';
export type TokenStatus = 'active' | 'expired' | 'revoked';

export const DEFAULT_EXPIRY_DAYS = 90;
export const MAX_EXPIRY_DAYS = 365;

export const tokenKeys = {
  all: ['tokens'] as const,
  list: () => [...tokenKeys.all, 'list'] as const,
};

export const tokenQueries = {
  /** The signed-in user's own tokens, newest first, revoked ones included. */
  list: () =>
    queryOptions({
      queryKey: tokenKeys.list(),
      queryFn: ({ signal }) => unwrap(api.GET('/api/v1/tokens', { signal })),
    }),
};

export function tokenStatus(token: ApiToken, now: number = Date.now()): TokenStatus {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= now) return 'expired';
  return 'active';
}
