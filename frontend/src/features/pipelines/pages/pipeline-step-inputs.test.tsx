import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json, problem } from '../../../test/fake-fetch';
import { template, templateVariable } from '../../../test/fixtures';
import { renderWithApp } from '../../../test/render';
import type { Pipeline } from '../api/pipeline-queries';
import { pipeline, step } from '../test/pipeline-fixtures';
import { PipelineDetailPage } from './pipeline-detail-page';

const renderPage = () =>
  renderWithApp(<PipelineDetailPage />, { route: '/aws/pipelines/p1', path: '/:provider/pipelines/:pipelineId' });

const withEtag = (body: Pipeline) => json(body, 200, { ETag: `"${body.version}"` });

const two = pipeline({
  steps: [
    step({ id: 's1', position: 1, deploymentName: 'net', templateId: 'aws-network' }),
    step({ id: 's2', position: 2, deploymentName: 'db', templateId: 'aws-database' }),
  ],
});

const templates = {
  'GET /api/v1/templates/aws-network': () =>
    json(template({ id: 'aws-network', variables: [], outputs: [{ name: 'vpc_id', description: 'Id of the VPC', sensitive: false }] })),
  'GET /api/v1/templates/aws-database': () =>
    json(template({ variables: [templateVariable({ name: 'vpc_id', type: 'string', description: 'Network to use' })] })),
};

describe('PipelineDetailPage: step inputs', () => {
  it('shows each wired variable on its step as "variable ← source.output"', async () => {
    fakeFetch({
      'GET /api/v1/pipelines/p1': () =>
        withEtag({ ...two, steps: [two.steps[0]!, { ...two.steps[1]!, inputs: [{ variable: 'vpc_id', fromStepId: 's1', output: 'vpc_id' }] }] }),
      'GET /api/v1/pipelines/p1/runs': () => json({ items: [], nextCursor: null }),
    });
    renderPage();

    expect(await screen.findByRole('list', { name: 'Inputs of db' })).toHaveTextContent('vpc_id ← net.vpc_id');
    expect(screen.queryByRole('list', { name: 'Inputs of net' })).not.toBeInTheDocument();
  });

  it('wires a variable to an earlier step’s output with If-Match, and places a refusal in the dialog', async () => {
    let refuse = true;
    const fetch = fakeFetch({
      'GET /api/v1/pipelines/p1': () => withEtag(two),
      'GET /api/v1/pipelines/p1/runs': () => json({ items: [], nextCursor: null }),
      ...templates,
      'PUT /api/v1/pipelines/p1/steps/s2/inputs': () =>
        refuse
          ? problem(400, { title: 'Invalid', errors: { 'inputs[0].output': ["The template of 'net' declares no output 'vpc_id'."] } })
          : withEtag({ ...two, version: 8 }),
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Inputs of db' }));
    const dialog = await screen.findByRole('dialog', { name: 'Inputs of db' });
    await user.click(within(dialog).getByRole('button', { name: 'Add input' }));
    // The choices come from the steps' templates: the selects open once those are loaded.
    await waitFor(() => expect(within(dialog).getByRole('combobox', { name: 'Variable 1' })).toBeEnabled());
    await user.click(within(dialog).getByRole('combobox', { name: 'Variable 1' }));
    await user.click(await screen.findByRole('option', { name: 'vpc_id (string) — Network to use', hidden: true }));
    await user.click(within(dialog).getByRole('combobox', { name: 'Value from 1' }));
    await user.click(await screen.findByRole('option', { name: 'net.vpc_id — Id of the VPC', hidden: true }));
    await user.click(within(dialog).getByRole('button', { name: 'Save inputs' }));

    expect(await within(dialog).findByText(/declares no output 'vpc_id'/)).toBeInTheDocument();
    const [sent] = fetch.calls('PUT /api/v1/pipelines/p1/steps/s2/inputs');
    expect(sent!.body).toEqual({ inputs: [{ variable: 'vpc_id', fromStepId: 's1', output: 'vpc_id' }] });
    expect(sent!.headers.get('If-Match')).toBe('"7"');

    refuse = false;
    await user.click(within(dialog).getByRole('button', { name: 'Save inputs' }));
    await expect.poll(() => screen.queryByRole('dialog', { name: 'Inputs of db' })).toBeNull();
  }, 60_000);
});
