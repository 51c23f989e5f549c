import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';

/** A cloud provider as listed by the API: `{ id: 'aws', displayName }`. */
export type Provider = components['schemas']['Provider'];
/** `'aws' | 'azure' | 'gcp'` */
export type CloudProviderId = components['schemas']['CloudProvider'];

export const providerKeys = {
  all: ['providers'] as const,
  list: () => [...providerKeys.all, 'list'] as const,
};

export const providerQueries = {
  /** The fixed list of cloud providers; it never changes while the app runs. */
  list: () =>
    queryOptions({
      queryKey: providerKeys.list(),
      queryFn: async ({ signal }) => (await unwrap(api.GET('/api/v1/providers', { signal }))).items,
      staleTime: Infinity,
    }),
};
