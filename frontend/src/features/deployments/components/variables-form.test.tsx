import { useForm } from '@mantine/form';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithApp } from '../../../test/render';
import { databaseVariables, networkVariables, templateVariable as variable } from '../../../test/fixtures';
import type { TemplateVariable } from '../../templates/api/template-queries';
import { emptyDeploymentValues, type DeploymentFormValues } from './deployment-form-model';
import { initialVariables, toCreateVariables, toUpdateVariables } from './variable-values';
import { VariablesForm } from './variables-form';

let latest: DeploymentFormValues | undefined;

function Harness({ variables, storedSensitive }: { variables: TemplateVariable[]; storedSensitive?: string[] }) {
  const form = useForm<DeploymentFormValues>({
    mode: 'controlled',
    initialValues: { ...emptyDeploymentValues(), variables: initialVariables(variables) },
  });
  latest = form.values;
  return <VariablesForm form={form} variables={variables} storedSensitive={storedSensitive} environmentRegion="eu-west-1" />;
}

describe('VariablesForm', () => {
  it('renders the input each type calls for, prefilled with the defaults', async () => {
    renderWithApp(<Harness variables={databaseVariables} />);

    expect(screen.getByRole('textbox', { name: /^name/ })).toHaveValue('');
    const engine = screen.getByRole('combobox', { name: /^engine_version/ });
    expect(engine).toHaveValue('16');
    expect(screen.getByRole('textbox', { name: /^storage_gb/ })).toHaveValue('20');
    const password = screen.getByLabelText(/^admin_password/);
    expect(password).toHaveAttribute('type', 'password');
    expect(screen.getByRole('switch', { name: /^high_availability/ })).not.toBeChecked();
    // The region may stay empty: the description says the server fills it.
    expect(screen.getByRole('textbox', { name: /^region/ })).toHaveAccessibleDescription(
      'Region to deploy into (filled from the cloud environment when left empty). That is eu-west-1.',
    );
  });

  it('offers the options of a variable in a dropdown', async () => {
    const { user } = renderWithApp(<Harness variables={databaseVariables} />);

    const engine = screen.getByRole('combobox', { name: /^engine_version/ });
    await user.click(engine);
    // Mantine's dropdown counts as hidden in jsdom (its transition never ends there).
    const listbox = await screen.findByRole('listbox', { hidden: true });
    expect(within(listbox).getAllByRole('option', { hidden: true }).map((o) => o.textContent)).toEqual(['14', '15', '16', '17']);
    await user.click(within(listbox).getByRole('option', { name: '17', hidden: true }));
    expect(engine).toHaveValue('17');

    expect(toCreateVariables(databaseVariables, latest!.variables)).toMatchObject({ engine_version: '17', storage_gb: 20 });
  });

  it('adds and removes rows of a list(object) variable', async () => {
    const { user } = renderWithApp(<Harness variables={networkVariables} />);

    const subnets = screen.getByRole('group', { name: 'subnets' });
    const firstRow = within(subnets).getByRole('group', { name: 'subnets row 1' });
    expect(within(firstRow).getByRole('textbox', { name: /^cidr/ })).toHaveValue('10.0.1.0/24');
    expect(within(firstRow).getByRole('switch', { name: /^public/ })).toBeChecked();

    await user.click(within(subnets).getByRole('button', { name: 'Add row to subnets' }));
    const secondRow = within(subnets).getByRole('group', { name: 'subnets row 2' });
    await user.type(within(secondRow).getByRole('textbox', { name: /^name/ }), 'private');
    await user.type(within(secondRow).getByRole('textbox', { name: /^cidr/ }), '10.0.2.0/24');

    expect(toCreateVariables(networkVariables, latest!.variables).subnets).toEqual([
      { name: 'public', cidr: '10.0.1.0/24', public: true },
      { name: 'private', cidr: '10.0.2.0/24', public: false },
    ]);

    await user.click(within(subnets).getByRole('button', { name: 'Remove row 1 of subnets' }));

    expect(within(subnets).queryByRole('group', { name: 'subnets row 2' })).not.toBeInTheDocument();
    expect(within(within(subnets).getByRole('group', { name: 'subnets row 1' })).getByRole('textbox', { name: /^name/ })).toHaveValue(
      'private',
    );
    expect(toCreateVariables(networkVariables, latest!.variables).subnets).toEqual([
      { name: 'private', cidr: '10.0.2.0/24', public: false },
    ]);
  });

  it('groups the fields of an object variable', () => {
    renderWithApp(<Harness variables={networkVariables} />);

    const backup = screen.getByRole('group', { name: 'backup' });
    expect(within(backup).getByRole('textbox', { name: /^retention_days/ })).toHaveValue('7');
    expect(within(backup).getByRole('combobox', { name: /^window/ })).toHaveValue('');
  });

  it('says a stored sensitive value is kept while its input stays empty', () => {
    renderWithApp(<Harness variables={databaseVariables} storedSensitive={['admin_password']} />);

    expect(screen.getByLabelText(/^admin_password/)).toHaveAttribute('placeholder', 'unchanged — type to replace');
  });
});

describe('variable values', () => {
  it('leaves empty values out of a new deployment and converts options back to their type', () => {
    const declared = [...databaseVariables, variable({ name: 'size', type: 'number', options: [1, 2] })];
    const values = { ...initialVariables(declared), size: '2' };

    expect(toCreateVariables(declared, values)).toEqual({
      engine_version: '16',
      storage_gb: 20,
      high_availability: false,
      size: 2,
    });
  });

  it('edits with null for a cleared value and sends a sensitive one only when typed', () => {
    const stored = { name: 'db', engine_version: '15', storage_gb: 50, high_availability: true };
    const values = initialVariables(databaseVariables, stored, { blankSensitive: true });
    expect(values.admin_password).toBe('');

    expect(toUpdateVariables(databaseVariables, { ...values, storage_gb: '' })).toEqual({
      name: 'db',
      region: null,
      engine_version: '15',
      storage_gb: null,
      high_availability: true,
    });
    expect(toUpdateVariables(databaseVariables, { ...values, admin_password: 'n3w' })).toMatchObject({ admin_password: 'n3w' });
  });
});
