import { useQuery } from '@tanstack/react-query';
import { meQueries, type Role } from './me-queries';

/** Roles from least to most rights; each has every right of the ones before it. */
export const ROLES = ['viewer', 'operator', 'approver', 'admin'] as const satisfies readonly Role[];

export const roleLabels: Record<Role, string> = {
  viewer: 'Viewer',
  operator: 'Operator',
  approver: 'Approver',
  admin: 'Admin',
};

/**
 * What the UI offers, with the least role that may do it (the API enforces the same, see SPEC §6). What may be done
 * with a run (approve, cancel) is not here: each run, pipeline run and step says so itself in its `actions`.
 */
export const requiredRoles = {
  'projects.edit': 'operator',
  'deployments.edit': 'operator',
  'deployments.run': 'operator',
  /** Tightening a deployment's approval policy: what checks the approvers is not theirs to loosen or tighten. */
  'deployments.approvalPolicy': 'admin',
  'pipelines.edit': 'operator',
  'pipelines.run': 'operator',
  'tokens.createPipelineToken': 'operator',
  'cloudEnvironments.edit': 'admin',
  'templates.sync': 'admin',
  'users.manage': 'admin',
  'audit.read': 'admin',
  'webhooks.manage': 'admin',
} as const satisfies Record<string, Role>;

export type Action = keyof typeof requiredRoles;

const rank = (role: Role) => ROLES.indexOf(role);

/** Whether a user with `role` may do `action`. No role (a pipeline trigger token, nobody signed in) may do nothing. */
export function can(role: Role | null | undefined, action: Action): boolean {
  return role != null && rank(role) >= rank(requiredRoles[action]);
}

/** How a control for an action shows to the signed-in user. */
export interface Permission {
  allowed: boolean;
  /**
   * Show the control when not allowed (disabled, with `reason` as a tooltip). Read-only users (viewers) see no
   * controls at all; the others see what a higher role could do.
   */
  visible: boolean;
  /** Which role is needed, e.g. "Needs the admin role". */
  reason: string;
}

export function permission(role: Role | null | undefined, action: Action): Permission {
  const needed = requiredRoles[action];
  return {
    allowed: can(role, action),
    visible: role != null && role !== 'viewer',
    reason: `Needs the ${needed} role`,
  };
}

/** `const can = useCan(); can('pipelines.edit').allowed` — for the signed-in user. */
export function useCan(): (action: Action) => Permission {
  const { data: me } = useQuery(meQueries.me());
  const role = me?.role ?? null;
  return (action) => permission(role, action);
}
