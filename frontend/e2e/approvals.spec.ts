import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { signInThroughApi } from './auth';
import { apiHeaders, createProjectAndEnvironment, waitForApi } from './helpers';

// Terraform plans for real: a run reaches its first gate in a few seconds.
const wait = { timeout: 60_000 };
test.setTimeout(300_000);

const password = 'correct-horse-battery-e2e';

async function post(request: APIRequestContext, url: string, data: unknown, expected = [200, 201, 202]) {
  const response = await request.post(url, { data, headers: apiHeaders });
  expect(expected, await response.text()).toContain(response.status());
  return response.json();
}

async function networkDeployment(request: APIRequestContext, stamp: string, approvalPolicy?: object) {
  const { project, environment } = await createProjectAndEnvironment(request, stamp);
  if (approvalPolicy) {
    const patched = await request.patch(`/api/v1/cloud-environments/${environment.id}`, { data: { approvalPolicy }, headers: apiHeaders });
    expect(patched.status(), await patched.text()).toBe(200);
  }
  return (await post(request, '/api/v1/deployments', {
    projectId: project.id,
    templateId: 'aws-network',
    cloudEnvironmentId: environment.id,
    name: `e2e-approve-${stamp}`,
    variables: { name: `net${stamp}` },
  })) as { id: string; name: string };
}

async function waitForStatus(request: APIRequestContext, runId: string, status: string) {
  await expect
    .poll(async () => ((await (await request.get(`/api/v1/deployment-runs/${runId}`)).json()) as { status: string }).status, wait)
    .toBe(status);
}

/** A browser of its own, signed in as a new approver. */
async function approver(browser: Browser, request: APIRequestContext, baseURL: string, name: string): Promise<Page> {
  const email = `${name}-${Date.now()}@e2e.test`;
  await post(request, '/api/v1/users', { email, displayName: name, role: 'approver', password });
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  await signInThroughApi(context.request, { email, password });
  return context.newPage();
}

/** The count the header's link announces ("Approvals: N awaiting my approval"). */
async function badgeCount(page: Page): Promise<number> {
  const name = await page.getByRole('link', { name: /^Approvals.*awaiting my approval/ }).textContent();
  return Number(/: (\d+)\+? awaiting/.exec(name ?? '')![1]);
}

test('an environment asking two approvals: the first approver sees 1 of 2, their inbox counts down, a second approves', async ({
  browser,
  page,
  baseURL,
}) => {
  const stamp = `two-${Date.now()}`;
  const deployment = await networkDeployment(page.request, stamp, { planApprovals: 2 });
  const run = (await post(page.request, `/api/v1/deployments/${deployment.id}/runs`, { operation: 'execute' })) as { id: string };
  await waitForStatus(page.request, run.id, 'awaitingPlanApproval');
  const first = await approver(browser, page.request, baseURL!, 'first');
  const second = await approver(browser, page.request, baseURL!, 'second');

  // The first approver's inbox lists the gate, with the badge counting it.
  await first.goto('/aws/approvals');
  const inbox = first.getByRole('table', { name: 'Awaiting my approval' });
  const row = inbox.getByRole('row', { name: new RegExp(`Execute ${deployment.name}`) });
  await expect(row).toContainText('0 of 2 approvals', wait);
  await expect(first.getByRole('link', { name: /^Approvals.*awaiting my approval/ })).toBeVisible();
  const before = await badgeCount(first);
  expect(before).toBeGreaterThanOrEqual(1);

  // They approve with a comment, bound to the plan's hash shown next to the button.
  await row.getByRole('link', { name: `Execute ${deployment.name}` }).click();
  await expect(first.getByLabel('Plan hash')).toHaveText(/^[0-9a-f]{12}$/);
  await first.getByLabel('Comment (optional)').fill('Subnets look right');
  const approved = waitForApi(first, 'POST', /\/approve-plan$/);
  await first.getByRole('button', { name: 'Approve Plan' }).click();
  const answer = await approved;
  expect(answer.status()).toBe(200);
  expect(answer.request().postDataJSON()).toMatchObject({ comment: 'Subnets look right', planSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  await expect(first.getByRole('heading', { name: 'Plan approval · 1 of 2 approvals' })).toBeVisible();
  await expect(first.getByText('Another approver is needed: you approved (1 of 2 approvals)')).toBeVisible();
  await expect(first.getByRole('button', { name: 'Approve Plan' })).toHaveCount(0);
  await expect.poll(() => badgeCount(first), wait).toBe(before - 1);

  // The second approver completes the gate; the history keeps both, with the comment.
  await second.goto(`/aws/runs/${run.id}`);
  await second.getByRole('button', { name: 'Approve Plan' }).click(wait);
  await expect(second.getByRole('status', { name: 'Run status' })).toHaveText('Awaiting apply approval', wait);
  const history = second.getByRole('list', { name: 'Approvals' });
  await expect(history.getByRole('listitem')).toHaveCount(2);
  await expect(history).toContainText('“Subnets look right”');

  await post(page.request, `/api/v1/deployment-runs/${run.id}/cancel`, {});
});

test('a reject with a comment stops the pipeline, and the comment is on the run view', async ({ page }) => {
  const stamp = `reject-${Date.now()}`;
  const firstStep = await networkDeployment(page.request, `${stamp}-a`);
  const secondStep = await networkDeployment(page.request, `${stamp}-b`);
  const pipeline = (await post(page.request, '/api/v1/pipelines', { provider: 'aws', name: `e2e-reject-${stamp}` })) as { id: string };
  await post(page.request, `/api/v1/pipelines/${pipeline.id}/steps`, { deploymentId: firstStep.id });
  await post(page.request, `/api/v1/pipelines/${pipeline.id}/steps`, { deploymentId: secondStep.id });
  const pipelineRun = (await post(page.request, `/api/v1/pipelines/${pipeline.id}/runs`, {})) as {
    id: string;
    steps: { deploymentRunId: string | null }[];
  };
  const stepRun = pipelineRun.steps[0]!.deploymentRunId!;
  await waitForStatus(page.request, stepRun, 'awaitingPlanApproval');

  await page.goto(`/aws/runs/${stepRun}`);
  await page.getByRole('button', { name: 'Reject' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reject' });
  await dialog.getByRole('button', { name: 'Reject' }).click();
  await expect(dialog.getByText('Say why you reject it.')).toBeVisible();
  await dialog.getByLabel('Why? (required)').fill('Not during the release freeze');
  const rejected = waitForApi(page, 'POST', /\/reject$/);
  await dialog.getByRole('button', { name: 'Reject' }).click();
  expect((await rejected).status()).toBe(200);
  await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Rejected', wait);
  await expect(page.getByRole('list', { name: 'Approvals' })).toContainText('“Not during the release freeze”');

  await page.goto(`/aws/pipeline-runs/${pipelineRun.id}`);
  await expect(page.getByText('Rejected').first()).toBeVisible(wait);
  const first = page.getByRole('listitem', { name: `Step 1: ${firstStep.name}` });
  await expect(first).toContainText('Plan rejected');
  await expect(first).toContainText('“Not during the release freeze”');
  await expect(page.getByRole('listitem', { name: `Step 2: ${secondStep.name}` })).toContainText('Not run');
});

test('the plan diff shows replicas: 3 → 4 for a changed variable before it is approved', async ({ page }) => {
  const stamp = `diff-${Date.now()}`;
  const { project, environment } = await createProjectAndEnvironment(page.request, stamp);
  const variables = { name: `web${Date.now() % 100000}`, image: 'nginx:1' };
  const deployment = (await post(page.request, '/api/v1/deployments', {
    projectId: project.id,
    templateId: 'aws-application',
    cloudEnvironmentId: environment.id,
    name: `e2e-diff-${stamp}`,
    variables: { ...variables, replicas: 3 },
  })) as { id: string };
  const first = (await post(page.request, `/api/v1/deployments/${deployment.id}/runs`, { operation: 'execute' })) as { id: string };
  await waitForStatus(page.request, first.id, 'awaitingPlanApproval');
  await post(page.request, `/api/v1/deployment-runs/${first.id}/approve-plan`, {});
  await post(page.request, `/api/v1/deployment-runs/${first.id}/approve-apply`, {});
  await waitForStatus(page.request, first.id, 'completed');

  const patched = await page.request.patch(`/api/v1/deployments/${deployment.id}`, {
    data: { variables: { ...variables, replicas: 4 } },
    headers: apiHeaders,
  });
  expect(patched.status(), await patched.text()).toBe(200);
  const second = (await post(page.request, `/api/v1/deployments/${deployment.id}/runs`, { operation: 'execute' })) as { id: string };
  await waitForStatus(page.request, second.id, 'awaitingPlanApproval');

  await page.goto(`/aws/runs/${second.id}`);
  const service = page.locator('[data-resource="terraform_data.service"]');
  await expect(service).toHaveAttribute('data-action', 'update', wait);
  await expect(service.getByRole('list', { name: 'Changes in input' }).getByRole('listitem')).toHaveText(['replicas: 3 → 4']);
  await expect(page.locator('[data-output="replicas"]')).toContainText('replicas (update): 3 → 4');

  const approved = waitForApi(page, 'POST', /\/approve-plan$/);
  await page.getByRole('button', { name: 'Approve Plan' }).click();
  expect((await approved).status()).toBe(200);
  await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Awaiting apply approval', wait);
  await post(page.request, `/api/v1/deployment-runs/${second.id}/cancel`, {});
});

test('on the pipeline run view a step is approved bound to the plan: its short hash beside the button, hash and comment sent', async ({ page }) => {
  const stamp = `step-${Date.now()}`;
  const deployment = await networkDeployment(page.request, stamp);
  const pipeline = (await post(page.request, '/api/v1/pipelines', { provider: 'aws', name: `e2e-step-approve-${stamp}` })) as { id: string };
  await post(page.request, `/api/v1/pipelines/${pipeline.id}/steps`, { deploymentId: deployment.id });
  const pipelineRun = (await post(page.request, `/api/v1/pipelines/${pipeline.id}/runs`, {})) as { id: string; steps: { deploymentRunId: string }[] };
  const stepRun = pipelineRun.steps[0]!.deploymentRunId;
  await waitForStatus(page.request, stepRun, 'awaitingPlanApproval');
  const planSha256 = ((await (await page.request.get(`/api/v1/deployment-runs/${stepRun}`)).json()) as { planSha256: string }).planSha256;

  await page.goto(`/aws/pipeline-runs/${pipelineRun.id}`);
  const step = page.getByRole('listitem', { name: `Step 1: ${deployment.name}` });
  await expect(step.getByLabel('Plan hash')).toHaveText(planSha256.slice(0, 12), wait);
  await step.getByLabel('Comment (optional)').fill('Reviewed in the pipeline view');
  const approved = waitForApi(page, 'POST', /\/approve-plan$/);
  await step.getByRole('button', { name: 'Approve Plan' }).click();
  const answer = await approved;
  expect(answer.status()).toBe(200);
  expect(answer.request().postDataJSON()).toEqual({ comment: 'Reviewed in the pipeline view', planSha256 });
  await expect(step.getByRole('button', { name: 'Approve Apply' })).toBeVisible(wait);
  await expect(step).toContainText('“Reviewed in the pipeline view”');
  await post(page.request, `/api/v1/pipeline-runs/${pipelineRun.id}/cancel`, { reason: 'e2e done' });
});
