import { ROLES, roleLabels } from '../../access/api/permissions';

/** The roles for a select, least rights first, with what each adds. */
export const roleOptions = ROLES.map((role) => ({ value: role, label: roleLabels[role] }));

export const roleDescriptions =
  'Viewer: reads everything. Operator: also edits projects, deployments and pipelines, runs and cancels. ' +
  'Approver: also approves plans and applies. Admin: also users, cloud environments, template sync and the audit log.';
