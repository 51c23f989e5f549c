import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json, problem } from '../../../test/fake-fetch';
import { cloudEnvironment, deployment, page, template } from '../../../test/fixtures';
import { renderWithApp } from '../../../test/render';
import { DeploymentEditPage } from './deployment-edit-page';

const id = deployment().id;
const renderPage = () =>
  renderWithApp(<DeploymentEditPage />, { route: `/aws/deployments/${id}/edit`, path: '/:provider/deployments/:id/*' });

function routes(overrides: Parameters<typeof fakeFetch>[0] = {}) {
  return fakeFetch({
    [`GET /api/v1/deployments/${id}`]: () => json(deployment()),
    'GET /api/v1/templates/aws-database': () => json(template()),
    'GET /api/v1/cloud-environments': () => json(page([cloudEnvironment()])),
    ...overrides,
  });
}

describe('DeploymentEditPage', () => {
  it('keeps a stored sensitive value unless a new one is typed, and clears an emptied value with null', async () => {
    const server = routes({ [`PATCH /api/v1/deployments/${id}`]: () => json(deployment({ description: 'Changed' })) });
    const { user } = renderPage();

    const password = await screen.findByLabelText(/^admin_password/);
    expect(password).toHaveValue('');
    expect(password).toHaveAttribute('placeholder', 'unchanged — type to replace');
    expect(screen.getByRole('textbox', { name: /^storage_gb/ })).toHaveValue('20');

    const description = screen.getByRole('textbox', { name: 'Description' });
    await user.clear(description);
    await user.type(description, 'Changed');
    await user.clear(screen.getByRole('textbox', { name: /^storage_gb/ }));
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(new RegExp(`/aws/deployments/${id}$`)));
    const body = server.calls(`PATCH /api/v1/deployments/${id}`)[0]!.body as { variables: Record<string, unknown> };
    expect(body).toMatchObject({
      name: 'orders-db',
      description: 'Changed',
      cloudEnvironmentId: cloudEnvironment().id,
      tags: ['team-a'],
      requireDistinctApprover: false,
    });
    expect(body.variables).toEqual({
      name: 'orders',
      region: 'eu-west-1',
      engine_version: '16',
      storage_gb: null,
      high_availability: false,
    });
    expect(body.variables).not.toHaveProperty('admin_password');
  });

  it('sends a typed sensitive value and shows the messages of a 400 at their fields', async () => {
    const server = routes({
      [`PATCH /api/v1/deployments/${id}`]: () =>
        problem(400, { title: 'One or more fields are invalid', errors: { 'variables.engine_version': ['Must be one of: 14, 15, 16, 17.'] } }),
    });
    const { user } = renderPage();

    await user.type(await screen.findByLabelText(/^admin_password/), 'n3w-secret');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    await waitFor(() =>
      expect(screen.getByRole('combobox', { name: /^engine_version/ })).toHaveAccessibleDescription(
        /Must be one of: 14, 15, 16, 17\./,
      ),
    );
    expect(server.calls(`PATCH /api/v1/deployments/${id}`)[0]!.body).toMatchObject({
      variables: { admin_password: 'n3w-secret' },
    });
  });

  it('is not offered to a viewer, who gets told which role it needs', async () => {
    const server = fakeFetch({});

    renderWithApp(<DeploymentEditPage />, {
      route: `/aws/deployments/${id}/edit`,
      path: '/:provider/deployments/:id/*',
      role: 'viewer',
    });

    expect(await screen.findByText('Editing a deployment needs the operator role.')).toBeInTheDocument();
    expect(server.requests).toHaveLength(0);
  });
});
