import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';

export type Template = components['schemas']['Template'];
/** One input a template declares: `string | number | bool | object | list(object)`, with `fields` for the last two. */
export type TemplateVariable = components['schemas']['TemplateVariable'];
export type TemplateSyncResult = components['schemas']['TemplateSyncResult'];
type CloudProviderId = Template['provider'];

/** The categories a template manifest may name, in the order the filter shows them. */
export const TEMPLATE_CATEGORIES = ['infrastructure', 'application', 'database', 'combo'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

export function isTemplateCategory(value: string | null | undefined): value is TemplateCategory {
  return (TEMPLATE_CATEGORIES as readonly string[]).includes(value ?? '');
}

export interface TemplateListFilters {
  provider: CloudProviderId;
  /** Empty for every category. */
  category: TemplateCategory | '';
  q: string;
}

export const TEMPLATES_PAGE_SIZE = 50;
/** The most templates a picker (e.g. the deployment wizard's select) loads at once: the API's largest page. */
export const TEMPLATE_OPTIONS_LIMIT = 200;

export const templateKeys = {
  all: ['templates'] as const,
  lists: () => [...templateKeys.all, 'list'] as const,
  list: (filters: TemplateListFilters) => [...templateKeys.lists(), filters] as const,
  options: (provider: CloudProviderId) => [...templateKeys.all, 'options', provider] as const,
  detail: (id: string) => [...templateKeys.all, 'detail', id] as const,
};

export const templateQueries = {
  /** The catalogue of one provider, filtered by category and `q`; "Load more" appends the next page. */
  list: (filters: TemplateListFilters) =>
    infiniteQueryOptions({
      queryKey: templateKeys.list(filters),
      queryFn: ({ pageParam, signal }) =>
        unwrap(
          api.GET('/api/v1/templates', {
            params: {
              query: {
                provider: filters.provider,
                category: filters.category || undefined,
                q: filters.q || undefined,
                limit: TEMPLATES_PAGE_SIZE,
                cursor: pageParam ?? undefined,
              },
            },
            signal,
          }),
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
    }),

  /** Every template of a provider (one large page), for pickers. */
  options: (provider: CloudProviderId) =>
    queryOptions({
      queryKey: templateKeys.options(provider),
      queryFn: async ({ signal }) =>
        (
          await unwrap(
            api.GET('/api/v1/templates', {
              params: { query: { provider, limit: TEMPLATE_OPTIONS_LIMIT } },
              signal,
            }),
          )
        ).items,
    }),

  /** One template with its variables. */
  detail: (id: string) =>
    queryOptions({
      queryKey: templateKeys.detail(id),
      queryFn: ({ signal }) => unwrap(api.GET('/api/v1/templates/{id}', { params: { path: { id } }, signal })),
    }),
};
