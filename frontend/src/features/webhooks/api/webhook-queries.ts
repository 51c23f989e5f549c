import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';

export type Webhook = components['schemas']['Webhook'];
export type CreatedWebhook = components['schemas']['CreatedWebhook'];
export type WebhookDelivery = components['schemas']['WebhookDelivery'];
export type WebhookAttempt = components['schemas']['WebhookAttempt'];

/** The event types an endpoint can ask for (the `type` of each message), as the API names them. */
export const WEBHOOK_EVENT_TYPES = [
  { value: 'deploymentRun.status', label: 'Deployment run status changed' },
  { value: 'pipelineRun.status', label: 'Pipeline run status or current step changed' },
  { value: 'pipelineRun.step', label: 'Pipeline run step changed' },
  { value: 'approval.required', label: 'Approval required' },
] as const;

/** The most deliveries the log shows: the API's largest page. */
export const DELIVERY_LOG_LIMIT = 200;
/** A delivery log with deliveries still pending refreshes this often, so retries show as they happen. */
export const DELIVERY_POLL_INTERVAL_MS = 5000;

export const webhookKeys = {
  all: ['webhooks'] as const,
  list: () => [...webhookKeys.all, 'list'] as const,
  deliveries: (id: string) => [...webhookKeys.all, 'deliveries', id] as const,
};

export const webhookQueries = {
  list: () =>
    queryOptions({
      queryKey: webhookKeys.list(),
      queryFn: ({ signal }) => unwrap(api.GET('/api/v1/webhooks', { signal })),
    }),
  deliveries: (id: string) =>
    queryOptions({
      queryKey: webhookKeys.deliveries(id),
      queryFn: ({ signal }) =>
        unwrap(
          api.GET('/api/v1/webhooks/{id}/deliveries', {
            params: { path: { id }, query: { limit: DELIVERY_LOG_LIMIT } },
            signal,
          }),
        ),
      refetchInterval: (query) =>
        query.state.data?.some((delivery) => delivery.status === 'pending') ? DELIVERY_POLL_INTERVAL_MS : false,
    }),
};

export function eventTypeLabel(type: string): string {
  return WEBHOOK_EVENT_TYPES.find((t) => t.value === type)?.label ?? type;
}
