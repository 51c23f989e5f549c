import type { components } from '../api/schema';

type Schemas = components['schemas'];
type TemplateVariable = Schemas['TemplateVariable'];

/** Builders of API objects for tests: sensible values, overridden where a test cares. */
export function templateVariable(
  overrides: Partial<TemplateVariable> & Pick<TemplateVariable, 'name' | 'type'>,
): TemplateVariable {
  return { description: '', required: false, sensitive: false, needsValue: false, ...overrides };
}

/** The variables of the example `aws-database` template. */
export const databaseVariables: TemplateVariable[] = [
  templateVariable({ name: 'name', type: 'string', description: 'Database instance name', required: true, needsValue: true }),
  templateVariable({
    name: 'region',
    type: 'string',
    description: 'Region to deploy into (filled from the cloud environment when left empty)',
    required: true,
    needsValue: true,
  }),
  templateVariable({
    name: 'engine_version',
    type: 'string',
    description: 'PostgreSQL major version',
    default: '16',
    options: ['14', '15', '16', '17'],
  }),
  templateVariable({ name: 'storage_gb', type: 'number', description: 'Allocated storage in GB', default: 20 }),
  templateVariable({
    name: 'admin_password',
    type: 'string',
    description: 'Administrator password',
    required: true,
    sensitive: true,
    needsValue: true,
  }),
  templateVariable({ name: 'high_availability', type: 'bool', description: 'Standby replica in a second zone', default: false }),
];

/** The variables of the example `aws-network` template, plus an object variable. */
export const networkVariables: TemplateVariable[] = [
  templateVariable({ name: 'name', type: 'string', description: 'Name of the network', required: true, needsValue: true }),
  templateVariable({
    name: 'subnets',
    type: 'list(object)',
    description: 'Subnets to create',
    minItems: 1,
    default: [{ name: 'public', cidr: '10.0.1.0/24', public: true }],
    fields: [
      templateVariable({ name: 'name', type: 'string', description: 'Subnet name', required: true, needsValue: true }),
      templateVariable({ name: 'cidr', type: 'string', description: 'Subnet address range', required: true, needsValue: true }),
      templateVariable({ name: 'public', type: 'bool', description: 'Reachable from the internet', default: false }),
    ],
  }),
  templateVariable({
    name: 'backup',
    type: 'object',
    description: 'Backup settings',
    fields: [
      templateVariable({ name: 'retention_days', type: 'number', default: 7 }),
      templateVariable({ name: 'window', type: 'string', options: ['night', 'day'] }),
    ],
  }),
];

export function template(overrides: Partial<Schemas['Template']> = {}): Schemas['Template'] {
  return {
    id: 'aws-database',
    provider: 'aws',
    name: 'RDS PostgreSQL',
    description: 'A managed PostgreSQL instance.',
    category: 'database',
    icon: 'database',
    version: 'abc123',
    variables: databaseVariables,
    outputs: [],
    files: ['main.tf'],
    removed: false,
    updatedAt: '2026-11-20T10:00:00Z',
    ...overrides,
  };
}

export function project(overrides: Partial<Schemas['Project']> = {}): Schemas['Project'] {
  return {
    id: '11111111-1111-1111-1111-111111111111',
    provider: 'aws',
    name: 'web-shop',
    description: '',
    tags: [],
    createdAt: '2026-11-20T10:00:00Z',
    updatedAt: '2026-11-20T10:00:00Z',
    ...overrides,
  };
}

export function cloudEnvironment(overrides: Partial<Schemas['CloudEnvironment']> = {}): Schemas['CloudEnvironment'] {
  return {
    id: '22222222-2222-2222-2222-222222222222',
    provider: 'aws',
    name: 'production',
    region: 'eu-west-1',
    accountId: '123456789012',
    credentialKeys: [],
    approvalPolicy: {
      planApprovals: 1,
      applyApprovals: 1,
      distinctFromTrigger: false,
      distinctBetweenGates: false,
      approverRole: 'approver',
      extraApprovalOnDestroy: false,
      approvalTimeoutHours: null,
    },
    createdAt: '2026-11-20T10:00:00Z',
    updatedAt: '2026-11-20T10:00:00Z',
    ...overrides,
  };
}

export function deployment(overrides: Partial<Schemas['Deployment']> = {}): Schemas['Deployment'] {
  return {
    id: '33333333-3333-3333-3333-333333333333',
    provider: 'aws',
    projectId: project().id,
    projectName: 'web-shop',
    templateId: 'aws-database',
    templateName: 'RDS PostgreSQL',
    cloudEnvironmentId: cloudEnvironment().id,
    cloudEnvironmentName: 'production',
    name: 'orders-db',
    description: 'Orders database',
    variables: { name: 'orders', region: 'eu-west-1', engine_version: '16', storage_gb: 20, high_availability: false },
    sensitiveVariables: ['admin_password'],
    tags: ['team-a'],
    status: 'neverDeployed',
    missingVariables: [],
    approvalPolicy: {},
    requireDistinctApprover: false,
    changesNotApplied: false,
    createdAt: '2026-11-20T10:00:00Z',
    updatedAt: '2026-11-21T10:00:00Z',
    ...overrides,
  };
}

export function run(overrides: Partial<Schemas['DeploymentRun']> = {}): Schemas['DeploymentRun'] {
  return {
    id: '44444444-4444-4444-4444-444444444444',
    deploymentId: deployment().id,
    deploymentName: 'orders-db',
    operation: 'execute',
    status: 'queued',
    templateVersion: 'abc123',
    variableOrigins: [],
    attempt: 1,
    triggeredBy: 'alice@example.com',
    queuedAt: '2026-11-21T10:00:00Z',
    policy: cloudEnvironment().approvalPolicy,
    approvals: [],
    requireDistinctApprover: false,
    actions: { approvePlan: false, approveApply: false, cancel: true, blocked: {} },
    ...overrides,
  };
}

export const page = <T>(items: T[], nextCursor: string | null = null) => ({ items, nextCursor });

/** The signed-in user; pages render as this admin unless a test asks for another role. */
export function me(overrides: Partial<Schemas['Me']> = {}): Schemas['Me'] {
  return {
    id: '55555555-5555-5555-5555-555555555555',
    email: 'admin@example.com',
    displayName: 'Ada Admin',
    role: 'admin',
    method: 'ui',
    ...overrides,
  };
}
