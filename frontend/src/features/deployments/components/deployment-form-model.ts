import { hasPath } from '../../../lib/problem-form-errors';
import type { Template } from '../../templates/api/template-queries';
import type { CreateDeploymentBody } from '../api/use-create-deployment';
import { toCreateVariables, type VariableFormValues } from './variable-values';

/** The values of the new-deployment wizard and of the edit page (which leaves template and project as they are). */
export interface DeploymentFormValues {
  templateId: string;
  projectId: string;
  cloudEnvironmentId: string;
  name: string;
  description: string;
  variables: VariableFormValues;
  tags: string[];
  /** Four eyes: whoever triggered a run or approved its plan may not approve its apply. */
  requireDistinctApprover: boolean;
}

export const FOUR_EYES_DESCRIPTION = 'Four eyes: whoever triggered a run or approved its plan may not approve its apply.';

export const WIZARD_STEPS = [
  { label: 'Environment', description: 'Template, project, where' },
  { label: 'Variables', description: 'Values for the template' },
  { label: 'Tags', description: 'Labels to find it by' },
  { label: 'Review', description: 'Check and create' },
] as const;
export const REVIEW_STEP = WIZARD_STEPS.length - 1;

const environmentFields = new Set(['templateId', 'projectId', 'cloudEnvironmentId', 'name', 'description', 'requireDistinctApprover']);

/** The wizard step that shows a form path: `name` → Environment, `variables.x…` → Variables, `tags` → Tags. */
export function stepOfField(path: string): number {
  const root = path.split('.')[0]!;
  if (environmentFields.has(root)) return 0;
  if (root === 'variables') return 1;
  if (root === 'tags') return 2;
  return REVIEW_STEP;
}

/** The first step that holds one of these errors, or `null` when there are none. */
export function firstStepWithError(errors: Record<string, unknown>): number | null {
  const steps = Object.keys(errors).map(stepOfField);
  return steps.length > 0 ? Math.min(...steps) : null;
}

/**
 * Where an API field path (already normalised: `variables.subnets.0.cidr`) shows in the form. A variable's
 * path lands on its input, or on the nearest enclosing group the form has (a row, the list); `tags.3` on the tags
 * input. `undefined` leaves the message for the form-level alert.
 */
export function formPathFor(apiField: string, values: DeploymentFormValues): string | undefined {
  const segments = apiField.split('.');
  const root = segments[0]!;
  if (environmentFields.has(root)) return segments.length === 1 ? root : undefined;
  if (root === 'tags') return 'tags';
  if (root === 'variables') {
    for (let length = segments.length; length >= 2; length -= 1) {
      const path = segments.slice(0, length).join('.');
      if (hasPath(values, path)) return path;
    }
  }
  return undefined;
}

export function emptyDeploymentValues(template?: Pick<Template, 'id'> | null): DeploymentFormValues {
  return {
    templateId: template?.id ?? '',
    projectId: '',
    cloudEnvironmentId: '',
    name: '',
    description: '',
    variables: {},
    tags: [],
    requireDistinctApprover: false,
  };
}

/**
 * The POST body. Nothing is checked here — the server's messages are the ones shown — so an id not chosen is left
 * out and the server names it.
 */
export function toCreateBody(values: DeploymentFormValues, template: Template | undefined): CreateDeploymentBody {
  const body: Partial<CreateDeploymentBody> = {
    name: values.name.trim(),
    description: values.description.trim() || undefined,
    variables: template ? toCreateVariables(template.variables, values.variables) : {},
    tags: values.tags,
    requireDistinctApprover: values.requireDistinctApprover,
  };
  if (values.templateId) body.templateId = values.templateId;
  if (values.projectId) body.projectId = values.projectId;
  if (values.cloudEnvironmentId) body.cloudEnvironmentId = values.cloudEnvironmentId;
  return body as CreateDeploymentBody;
}

/**
 * What the Environment step lacks, worded as the API words it ("Name is required."): the wizard does not move past
 * it until these are set. Variables are not checked here — a deployment may be created without a required value
 * and then says "needs configuration" — see {@link missingRequiredVariables}.
 */
export function missingEnvironmentFields(values: DeploymentFormValues): Record<string, string> {
  const missing: Record<string, string> = {};
  if (!values.templateId) missing.templateId = 'Template is required.';
  if (!values.projectId) missing.projectId = 'Project is required.';
  if (!values.cloudEnvironmentId) missing.cloudEnvironmentId = 'Cloud environment is required.';
  if (!values.name.trim()) missing.name = 'Name is required.';
  return missing;
}

/** Required variables without a value (and no default); `region` comes from the cloud environment when it has one. */
export function missingRequiredVariables(
  template: Pick<Template, 'variables'> | undefined,
  values: DeploymentFormValues,
  environmentRegion: string | undefined,
): string[] {
  if (!template) return [];
  return template.variables
    .filter((variable) => variable.required && variable.needsValue)
    .filter((variable) => !(variable.name === 'region' && environmentRegion))
    .filter((variable) => {
      const value = values.variables[variable.name];
      return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
    })
    .map((variable) => variable.name);
}
