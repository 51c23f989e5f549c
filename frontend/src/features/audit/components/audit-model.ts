import { cloudEnvironmentHref, projectHref } from '../../../lib/area-links';
import type { AuditEvent } from '../api/audit-queries';

/**
 * The actions the API writes to the audit log, offered by the action filter (which still takes any text, so an
 * action added later can be filtered before it is listed here).
 */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login.failed',
  'auth.login.throttled',
  'auth.logout',
  'cloudEnvironment.create',
  'cloudEnvironment.delete',
  'cloudEnvironment.update',
  'deployment.create',
  'deployment.delete',
  'deployment.update',
  'deploymentRun.approvePlan',
  'deploymentRun.approveApply',
  'deploymentRun.cancel',
  'deploymentRun.reject',
  'deploymentRun.trigger.destroy',
  'deploymentRun.trigger.execute',
  'pipeline.create',
  'pipeline.delete',
  'pipeline.step.add',
  'pipeline.step.remove',
  'pipeline.step.reorder',
  'pipeline.update',
  'pipelineRun.cancel',
  'pipelineRun.trigger',
  'project.create',
  'project.delete',
  'project.update',
  'template.sync',
  'token.create',
  'token.revoke',
  'user.create',
  'user.update',
] as const;

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
