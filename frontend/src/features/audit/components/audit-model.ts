import { cloudEnvironmentHref, projectHref } from '../../../lib/area-links';
import type { AuditEvent } from '../api/audit-queries';

export const AUDIT_RESOURCE_TYPES = [
  'cloudEnvironment',
  'deployment',
  'deploymentRun',
  'pipeline',
  'pipelineRun',
  'project',
  'template',
  'token',
  'user',
] as const;

/** Where the event's resource is shown, when it still exists and has a page. */
export function resourceHref(event: AuditEvent): string | undefined {
  const { resourceType: type, resourceId: id, resourceProvider: provider, resourceName: name } = event;
  if (!id || !name) return undefined;
  if (type === 'user') return '/users';
  if (!provider) return undefined;
  switch (type) {
    case 'project':
      return projectHref(provider, id);
    case 'deployment':
      return `/${provider}/deployments/${id}`;
    case 'pipeline':
      return `/${provider}/pipelines/${id}`;
    case 'cloudEnvironment':
      return cloudEnvironmentHref(provider, name);
    case 'deploymentRun':
      return `/${provider}/runs/${id}`;
    case 'pipelineRun':
      return `/${provider}/pipeline-runs/${id}`;
    default:
      return undefined;
  }
}
