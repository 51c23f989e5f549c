import {
  Button,
  Fieldset,
  SimpleGrid,
  NumberInput,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { TemplateVariable } from '../../templates/api/template-queries';
import type { DeploymentFormValues } from './deployment-form-model';
import { inputKind, isRegionVariable, newRow, optionValue } from './variable-values';

interface VariablesFormProps {
  form: UseFormReturnType<DeploymentFormValues>;
  /** The template's variables, in the template's order. */
  variables: TemplateVariable[];
  /** Sensitive variables that already have a stored value (edit): their empty inputs keep it. */
  storedSensitive?: string[];
  /** The region of the chosen cloud environment, used when `region` is left empty. */
  environmentRegion?: string;
}

/**
 * The inputs generated from a template's variables: one per variable, by type — shared by the new-deployment
 * wizard and the edit page. Nothing is enforced here; the server's messages land on the inputs.
 */
export function VariablesForm({ form, variables, storedSensitive = [], environmentRegion }: VariablesFormProps) {
  if (variables.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        This template has no variables.
      </Text>
    );
  }
  return (
    <Stack gap="md">
      {variables.map((variable) => (
        <VariableInput
          key={variable.name}
          form={form}
          variable={variable}
          path={`variables.${variable.name}`}
          topLevel
          stored={storedSensitive.includes(variable.name)}
          environmentRegion={environmentRegion}
        />
      ))}
    </Stack>
  );
}

interface VariableInputProps {
  form: UseFormReturnType<DeploymentFormValues>;
  variable: TemplateVariable;
  /** The form path of the value, e.g. `variables.subnets.0.cidr`. */
  path: string;
  topLevel?: boolean;
  /** A sensitive value is stored already (edit). */
  stored?: boolean;
  environmentRegion?: string;
  /** Overrides the label, e.g. inside a list row. */
  label?: string;
}

function VariableInput({ form, variable, path, topLevel = false, stored = false, environmentRegion, label }: VariableInputProps) {
  const region = topLevel && isRegionVariable(variable);
  const description = region ? regionDescription(variable.description, environmentRegion) : variable.description || undefined;
  const common = {
    label: label ?? variable.name,
    description,
    withAsterisk: variable.required && !region,
  };

  switch (inputKind(variable)) {
    case 'switch':
      // A switch is always on or off, so it never lacks a value: no required mark.
      return <Switch label={common.label} description={common.description} {...form.getInputProps(path, { type: 'checkbox' })} />;
    case 'select':
      return (
        <Select
          {...common}
          data={(variable.options ?? []).map((option) => ({ value: optionValue(option), label: String(option) }))}
          clearable={!variable.required}
          allowDeselect={!variable.required}
          placeholder={stored ? 'unchanged — choose to replace' : 'Choose a value'}
          {...form.getInputProps(path)}
        />
      );
    case 'secret': {
      const input = form.getInputProps(path);
      return (
        <PasswordInput
          {...common}
          autoComplete="new-password"
          placeholder={stored ? 'unchanged — type to replace' : undefined}
          {...input}
          // PasswordInput marks its inner input only with data-invalid; assistive technology needs aria-invalid.
          aria-invalid={input.error ? true : undefined}
        />
      );
    }
    case 'number':
      return <NumberInput {...common} {...form.getInputProps(path)} />;
    case 'object':
      return (
        <Fieldset legend={common.label}>
          <Stack gap="sm">
            {description && (
              <Text size="sm" c="dimmed">
                {description}
              </Text>
            )}
            {(variable.fields ?? []).map((field) => (
              <VariableInput key={field.name} form={form} variable={field} path={`${path}.${field.name}`} />
            ))}
            <GroupError form={form} path={path} />
          </Stack>
        </Fieldset>
      );
    case 'list':
      return <ListInput form={form} variable={variable} path={path} description={description} />;
    default:
      return <TextInput {...common} autoComplete="off" {...form.getInputProps(path)} />;
  }
}

/** A list(object) variable: a row of field inputs per item, with Add row and Remove row. */
function ListInput({
  form,
  variable,
  path,
  description,
}: {
  form: UseFormReturnType<DeploymentFormValues>;
  variable: TemplateVariable;
  path: string;
  description: string | undefined;
}) {
  const rows = (form.getInputProps(path).value as unknown[] | undefined) ?? [];
  const minItems = variable.minItems ?? 0;
  return (
    <Fieldset legend={variable.name}>
      <Stack gap="sm">
        {(description || minItems > 0) && (
          <Text size="sm" c="dimmed">
            {[description && sentence(description), minItems > 0 ? `At least ${minItems} ${minItems === 1 ? 'row' : 'rows'}.` : null]
              .filter(Boolean)
              .join(' ')}
          </Text>
        )}
        {rows.length === 0 && (
          <Text size="sm" c="dimmed">
            No rows.
          </Text>
        )}
        {rows.map((_, index) => (
          // Index keys are safe here: every input is controlled by the form, so a removed row takes its values along.
          <Fieldset key={index} legend={`${variable.name} row ${index + 1}`} variant="filled">
            <Stack gap="sm">
              {/* Side by side where there is room; one under the other on a phone, so no value is cut off. */}
              <SimpleGrid cols={{ base: 1, sm: Math.min(3, Math.max(1, variable.fields?.length ?? 1)) }} spacing="sm">
                {(variable.fields ?? []).map((field) => (
                  <VariableInput key={field.name} form={form} variable={field} path={`${path}.${index}.${field.name}`} />
                ))}
              </SimpleGrid>
              <GroupError form={form} path={`${path}.${index}`} />
              <div>
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  aria-label={`Remove row ${index + 1} of ${variable.name}`}
                  onClick={() => form.removeListItem(path, index)}
                >
                  Remove row
                </Button>
              </div>
            </Stack>
          </Fieldset>
        ))}
        <GroupError form={form} path={path} />
        <div>
          <Button size="xs" variant="light" aria-label={`Add row to ${variable.name}`} onClick={() => form.insertListItem(path, newRow(variable))}>
            Add row
          </Button>
        </div>
      </Stack>
    </Fieldset>
  );
}

/** A message about a whole object, row or list (e.g. too few rows). */
function GroupError({ form, path }: { form: UseFormReturnType<DeploymentFormValues>; path: string }) {
  const error = form.errors[path];
  if (!error) return null;
  return (
    <Text size="sm" c="red" role="alert">
      {error}
    </Text>
  );
}

/** Text ending in a full stop, so that another sentence can follow. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** The region may stay empty: the server then takes the cloud environment's region. Said once, with that region. */
function regionDescription(own: string, environmentRegion: string | undefined): string {
  const hint = environmentRegion
    ? `Leave empty to use the cloud environment's region: ${environmentRegion}.`
    : "Leave empty to use the cloud environment's region.";
  if (!own) return hint;
  // The template may say so itself (the examples do): then only name the region.
  if (/cloud environment/i.test(own)) return environmentRegion ? `${sentence(own)} That is ${environmentRegion}.` : own;
  return `${sentence(own)} ${hint}`;
}
