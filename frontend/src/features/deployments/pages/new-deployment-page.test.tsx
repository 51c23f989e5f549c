import { screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json, problem } from '../../../test/fake-fetch';
import { cloudEnvironment, deployment, networkVariables, page, project, template } from '../../../test/fixtures';
import { renderWithApp } from '../../../test/render';
import { NewDeploymentPage } from './new-deployment-page';

const network = template({ id: 'aws-network', name: 'VPC network', category: 'infrastructure', variables: networkVariables });
const database = template();

function routes(overrides: Parameters<typeof fakeFetch>[0] = {}) {
  return fakeFetch({
    'GET /api/v1/templates': () => json(page([database, network])),
    'GET /api/v1/templates/aws-network': () => json(network),
    'GET /api/v1/projects': () => json(page([project()])),
    'GET /api/v1/cloud-environments': () => json(page([cloudEnvironment()])),
    ...overrides,
  });
}

const renderPage = (route = '/aws/deployments/new?templateId=aws-network') =>
  renderWithApp(<NewDeploymentPage />, { route, path: '/:provider/deployments/*' });

/** Picks an option of a Mantine Select (its dropdown counts as hidden in jsdom). */
async function choose(user: UserEvent, label: string, option: string) {
  const input = screen.getByRole('combobox', { name: new RegExp(`^${label}`) });
  await user.click(input);
  await waitFor(() => expect(input).toHaveAttribute('aria-controls'));
  const listbox = document.getElementById(input.getAttribute('aria-controls')!)!;
  // The options arrive with their query: on a busy machine the list may still be empty when it opens.
  await user.click(await within(listbox).findByRole('option', { name: option, hidden: true }));
  await waitFor(() => expect(input).toHaveValue(option));
}

async function fillEnvironment(user: UserEvent) {
  await screen.findByRole('heading', { name: 'Environment' });
  await waitFor(() => expect(screen.getByRole('combobox', { name: /^Template/ })).toHaveValue('VPC network (infrastructure)'));
  await choose(user, 'Project', 'web-shop');
  await choose(user, 'Cloud environment', 'production (eu-west-1)');
  await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'core-network');
}

async function goToReview(user: UserEvent) {
  for (const heading of ['Variables', 'Tags', 'Review']) {
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { name: heading });
  }
}

describe('NewDeploymentPage', () => {
  it('starts with the template from the URL and creates the deployment with its variables', async () => {
    const created = deployment({ id: 'd-new', name: 'core-network', templateId: 'aws-network' });
    const server = routes({ 'POST /api/v1/deployments': () => json(created, 201) });
    const { user } = renderPage();

    await fillEnvironment(user);
    await user.click(screen.getByRole('switch', { name: /^Require a distinct approver/ }));
    await user.click(screen.getByRole('button', { name: 'Next' }));
    const subnets = await screen.findByRole('group', { name: 'subnets' });
    await user.click(within(subnets).getByRole('button', { name: 'Add row to subnets' }));
    const row = within(subnets).getByRole('group', { name: 'subnets row 2' });
    await user.type(within(row).getByRole('textbox', { name: /^name/ }), 'private');
    await user.type(within(row).getByRole('textbox', { name: /^cidr/ }), '10.0.2.0/24');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await user.type(await screen.findByRole('combobox', { name: /^Tags/ }), 'team-a{Enter}');
    await user.click(screen.getByRole('button', { name: 'Next' }));

    const summary = await screen.findByRole('table', { name: 'Summary' });
    expect(within(summary).getByText('web-shop')).toBeInTheDocument();
    expect(within(summary).getByText('production (eu-west-1)')).toBeInTheDocument();
    expect(within(summary).getByText('Distinct approver required')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Create deployment' }));

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/aws/deployments/d-new'));
    expect(server.calls('POST /api/v1/deployments')[0]!.body).toEqual({
      projectId: project().id,
      templateId: 'aws-network',
      cloudEnvironmentId: cloudEnvironment().id,
      name: 'core-network',
      variables: {
        subnets: [
          { name: 'public', cidr: '10.0.1.0/24', public: true },
          { name: 'private', cidr: '10.0.2.0/24', public: false },
        ],
        backup: { retention_days: 7 },
      },
      tags: ['team-a'],
      requireDistinctApprover: true,
    });
  }, 60_000);

  it('jumps back to the first step with an error and shows every message at its field', async () => {
    routes({
      'POST /api/v1/deployments': () =>
        problem(400, {
          title: 'One or more fields are invalid',
          errors: {
            'variables.subnets[0].cidr': ['Must be a valid CIDR range.'],
            'tags[0]': ['Tags may be at most 20 characters.'],
          },
        }),
    });
    const { user } = renderPage();
    await fillEnvironment(user);
    await goToReview(user);

    await user.click(screen.getByRole('button', { name: 'Create deployment' }));

    expect(await screen.findByRole('heading', { name: 'Variables' })).toBeInTheDocument();
    const row = within(screen.getByRole('group', { name: 'subnets' })).getByRole('group', { name: 'subnets row 1' });
    const cidr = within(row).getByRole('textbox', { name: /^cidr/ });
    expect(cidr).toHaveAttribute('aria-invalid', 'true');
    expect(cidr).toHaveAccessibleDescription(/Must be a valid CIDR range\./);
    expect(within(row).getByRole('textbox', { name: /^name/ })).not.toHaveAttribute('aria-invalid', 'true');

    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('combobox', { name: /^Tags/ })).toHaveAccessibleDescription(/Tags may be at most 20 characters\./);
  });

  it('shows a sensitive value as dots on the review, and a duplicate name at the name field', async () => {
    routes({
      'GET /api/v1/templates/aws-database': () => json(database),
      'POST /api/v1/deployments': () =>
        problem(409, { title: 'Conflict', detail: "The project already has a deployment named 'orders-db'." }),
    });
    const { user } = renderPage('/aws/deployments/new?templateId=aws-database');
    await screen.findByRole('heading', { name: 'Environment' });
    await choose(user, 'Project', 'web-shop');
    await choose(user, 'Cloud environment', 'production (eu-west-1)');
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'orders-db');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await user.type(await screen.findByLabelText(/^admin_password/), 's3cret-value');
    await goToReviewFrom(user, 'Tags');

    const variables = screen.getByRole('table', { name: 'Variables to create with' });
    const password = within(variables).getByRole('row', { name: /admin_password/ });
    expect(password).toHaveTextContent('••••');
    expect(screen.queryByText('s3cret-value')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Create deployment' }));

    expect(await screen.findByRole('heading', { name: 'Environment' })).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('textbox', { name: /^Name/ })).toHaveAccessibleDescription(
        "The project already has a deployment named 'orders-db'.",
      ),
    );
  });

  it('does not move past the Environment step until what it requires is set, saying what is missing', async () => {
    routes();
    const { user } = renderPage();
    await screen.findByRole('heading', { name: 'Environment' });

    await user.click(screen.getByRole('button', { name: 'Next' }));

    expect(screen.getByRole('heading', { name: 'Environment' })).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: /^Name/ })).toHaveAccessibleDescription('Name is required.');
    expect(screen.getByRole('combobox', { name: /^Project/ })).toHaveAccessibleDescription('Project is required.');
    await user.click(screen.getByRole('button', { name: /Review/ }));
    expect(screen.getByRole('heading', { name: 'Environment' })).toBeInTheDocument();

    await fillEnvironment(user);
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('heading', { name: 'Variables' })).toBeInTheDocument();
  });

  it('does not tick the Variables step green when a required value is left empty', async () => {
    routes();
    const { user } = renderPage();
    await fillEnvironment(user);
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText(/Required without a value: name\./)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Next' }));

    await screen.findByRole('heading', { name: 'Tags' });
    expect(screen.getByRole('button', { name: /Variables ?\(required values missing\)/ })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Environment(?! \()/ })).toBeInTheDocument();
  });

  it('asks before throwing away a filled wizard, and not for an untouched one', async () => {
    routes();
    const { user } = renderPage();
    await fillEnvironment(user);

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    const dialog = await screen.findByRole('dialog', { name: 'Discard this deployment?' });
    await user.click(within(dialog).getByRole('button', { name: 'Keep editing' }));
    expect(screen.getByRole('textbox', { name: /^Name/ })).toHaveValue('core-network');
    expect(screen.getByTestId('location')).toHaveTextContent('/aws/deployments/new');

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Discard this deployment?' })).getByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/aws\/deployments$/));
  });

  it('leaves an untouched wizard at once', async () => {
    routes();
    const { user } = renderPage();
    await screen.findByRole('heading', { name: 'Environment' });

    await user.click(screen.getByRole('button', { name: 'Cancel' }));

    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/aws\/deployments$/));
  });

  it('is not offered to a viewer, who gets told which role it needs', async () => {
    const server = fakeFetch({});

    renderWithApp(<NewDeploymentPage />, { route: '/aws/deployments/new', path: '/:provider/deployments/*', role: 'viewer' });

    expect(await screen.findByText('Creating a deployment needs the operator role.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /next|create/i })).not.toBeInTheDocument();
    expect(server.requests).toHaveLength(0);
  });
});

async function goToReviewFrom(user: UserEvent, next: 'Tags') {
  await user.click(screen.getByRole('button', { name: 'Next' }));
  await screen.findByRole('heading', { name: next });
  await user.click(screen.getByRole('button', { name: 'Next' }));
  await screen.findByRole('heading', { name: 'Review' });
}
