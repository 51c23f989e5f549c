import type { DeploymentOption, Pipeline, PipelineRun, PipelineRunStep, PipelineStep } from '../api/pipeline-queries';

export function step(overrides: Partial<PipelineStep> & Pick<PipelineStep, 'id' | 'deploymentName'>): PipelineStep {
  return {
    position: 1,
    deploymentId: `d-${overrides.id}`,
    templateId: 'aws-network',
    templateName: 'VPC network',
    deploymentStatus: 'neverDeployed',
    inputs: [],
    ...overrides,
  };
}

export function pipeline(overrides: Partial<Pipeline> = {}): Pipeline {
  return {
    id: 'p1',
    provider: 'aws',
    name: 'Platform rollout',
    description: 'Network, database, application',
    version: 7,
    steps: [
      step({ id: 's1', position: 1, deploymentName: 'net', templateName: 'VPC network' }),
      step({ id: 's2', position: 2, deploymentName: 'db', templateName: 'RDS PostgreSQL' }),
      step({ id: 's3', position: 3, deploymentName: 'web', templateName: 'ECS service' }),
    ],
    activeRunId: null,
    createdAt: '2026-11-20T10:00:00Z',
    updatedAt: '2026-11-21T10:00:00Z',
    ...overrides,
  };
}

/** What the server answers for a step whose deployment run the caller can do nothing with (or that has none). */
export const noActions: PipelineRunStep['actions'] = { approvePlan: false, approveApply: false, cancel: false, blocked: {} };

export function runStep(overrides: Partial<PipelineRunStep> & Pick<PipelineRunStep, 'position' | 'deploymentName'>): PipelineRunStep {
  return {
    deploymentId: `d-${overrides.position}`,
    status: 'pending',
    inputs: [],
    deploymentRunId: null,
    startedAt: null,
    finishedAt: null,
    approvals: [],
    actions: noActions,
    ...overrides,
  };
}

export function pipelineRun(overrides: Partial<PipelineRun> = {}): PipelineRun {
  return {
    id: 'r1',
    pipelineId: 'p1',
    pipelineName: 'Platform rollout',
    number: 3,
    status: 'running',
    operation: 'execute',
    triggeredBy: 'alice@example.com',
    triggerSource: 'ui',
    createdAt: '2026-11-22T10:00:00Z',
    startedAt: '2026-11-22T10:00:01Z',
    finishedAt: null,
    currentStepPosition: 1,
    steps: [runStep({ position: 1, deploymentName: 'net' }), runStep({ position: 2, deploymentName: 'db' })],
    actions: { cancel: true, resume: false },
    ...overrides,
  };
}

export function deployment(overrides: Partial<DeploymentOption> & Pick<DeploymentOption, 'id' | 'name'>): DeploymentOption {
  return { projectName: 'Platform', templateName: 'VPC network', status: 'neverDeployed', ...overrides };
}

/** A stand-in for the browser's EventSource (jsdom has none): tests push events with `emit`. */
export class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readonly url: string;
  closed = false;
  private listeners = new Map<string, Set<(event: MessageEvent) => void>>();

  constructor(url: string | URL) {
    this.url = String(url);
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, listener: (event: MessageEvent) => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }

  removeEventListener(type: string, listener: (event: MessageEvent) => void) {
    this.listeners.get(type)?.delete(listener);
  }

  close() {
    this.closed = true;
  }

  emit(type: string, data: unknown) {
    const event = new MessageEvent(type, { data: JSON.stringify(data) });
    this.listeners.get(type)?.forEach((listener) => listener(event));
  }
}
