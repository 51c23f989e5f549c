import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json } from '../../../test/fake-fetch';
import { renderWithApp } from '../../../test/render';
import { pipeline, pipelineRun } from '../test/pipeline-fixtures';
import { DestroyPipelineDialog } from './destroy-pipeline-dialog';

describe('DestroyPipelineDialog', () => {
  it('previews the reverse order and destroys only once the name is typed', async () => {
    const fetch = fakeFetch({
      'POST /api/v1/pipelines/p1/runs': () => json(pipelineRun({ id: 'r9', operation: 'destroy' }), 202),
    });
    renderWithApp(<DestroyPipelineDialog pipeline={pipeline()} onClose={() => {}} />);

    const dialog = await screen.findByRole('dialog', { name: 'Destroy pipeline' });
    const order = within(dialog).getByRole('list', { name: 'Destroy order' });
    expect(within(order).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'web (step 3)',
      'db (step 2)',
      'net (step 1)',
    ]);
    const destroy = within(dialog).getByRole('button', { name: 'Destroy pipeline' });
    expect(destroy).toBeDisabled();
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Type “Platform rollout” to confirm' }), 'Platform rollout');
    await userEvent.click(destroy);

    await expect.poll(() => fetch.calls('POST /api/v1/pipelines/p1/runs')).toHaveLength(1);
    expect(fetch.calls('POST /api/v1/pipelines/p1/runs')[0]!.body).toEqual({ operation: 'destroy' });
  });
});
