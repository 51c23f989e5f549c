import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Select,
  Stack,
  Stepper,
  Switch,
  Table,
  TagsInput,
  Text,
  TextInput,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { Link } from 'react-router';
import { problemToFormErrors } from '../../../lib/problem-form-errors';
import { cloudEnvironmentQueries } from '../../cloud-environments/api/cloud-environment-queries';
import { projectQueries } from '../../projects/api/project-queries';
import { templateQueries, type Template } from '../../templates/api/template-queries';
import type { Deployment } from '../api/deployment-queries';
import { useCreateDeployment } from '../api/use-create-deployment';
import {
  FOUR_EYES_DESCRIPTION,
  REVIEW_STEP,
  WIZARD_STEPS,
  emptyDeploymentValues,
  firstStepWithError,
  formPathFor,
  missingEnvironmentFields,
  missingRequiredVariables,
  stepOfField,
  toCreateBody,
  type DeploymentFormValues,
} from './deployment-form-model';
import { MASK, displayValue, initialVariables, toApiValue } from './variable-values';
import { VariablesForm } from './variables-form';
import { LengthCounter } from '../../../components/length-counter';
import { DESCRIPTION_MAX, NAME_MAX } from '../../../lib/field-limits';

interface DeploymentWizardProps {
  provider: Template['provider'];
  /** Chosen when the wizard opens (from a template card's "Create deployment"). */
  initialTemplate?: Template | null;
  onCreated: (deployment: Deployment) => void;
  onCancel: () => void;
}

/** Environment → Variables → Tags → Review → Create; a 400 puts each message on its field and opens its step. */
export function DeploymentWizard({ provider, initialTemplate, onCreated, onCancel }: DeploymentWizardProps) {
  const templates = useQuery(templateQueries.options(provider));
  const projects = useQuery(projectQueries.options(provider));
  const environments = useQuery(cloudEnvironmentQueries.options(provider));
  const createDeployment = useCreateDeployment();

  const form = useForm<DeploymentFormValues>({
    mode: 'controlled',
    initialValues: {
      ...emptyDeploymentValues(initialTemplate),
      variables: initialTemplate ? initialVariables(initialTemplate.variables) : {},
    },
  });
  const [active, setActive] = useState(0);
  const [formError, setFormError] = useState<string | null>(null);

  const template =
    templates.data?.find((t) => t.id === form.values.templateId) ??
    (initialTemplate?.id === form.values.templateId ? initialTemplate : undefined);
  const project = projects.data?.find((p) => p.id === form.values.projectId);
  const environment = environments.data?.find((e) => e.id === form.values.cloudEnvironmentId);

  const chooseTemplate = (id: string | null) => {
    const chosen = templates.data?.find((t) => t.id === id);
    form.setFieldValue('templateId', id ?? '');
    form.setFieldValue('variables', chosen ? initialVariables(chosen.variables) : {});
    // Messages about the previous template's variables no longer apply.
    form.setErrors(Object.fromEntries(Object.entries(form.errors).filter(([path]) => stepOfField(path) !== 1 && path !== 'templateId')));
  };

  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const missingVariables = missingRequiredVariables(template, form.values, environment?.region);

  /** Moves to `target`, but never past an Environment step that lacks what the API requires. */
  const goTo = (target: number) => {
    if (target > 0) {
      const missing = missingEnvironmentFields(form.values);
      if (Object.keys(missing).length > 0) {
        form.setErrors({ ...form.errors, ...missing });
        setActive(0);
        return;
      }
    }
    setActive(target);
  };

  // Leaving a wizard with something typed in loses it: ask first.
  const cancel = () => (form.isDirty() ? setConfirmingCancel(true) : onCancel());

  const submit = form.onSubmit(async (values) => {
    if (active < REVIEW_STEP) {
      // Enter in a field moves on; only the Review step creates.
      goTo(active + 1);
      return;
    }
    setFormError(null);
    try {
      const deployment = await createDeployment.mutateAsync(toCreateBody(values, template));
      onCreated(deployment);
    } catch (error) {
      const { fieldErrors, formError } = problemToFormErrors(error, {
        conflictField: 'name',
        mapField: (field) => formPathFor(field, values),
      });
      form.setErrors(fieldErrors);
      setFormError(formError);
      const step = firstStepWithError(fieldErrors);
      if (step !== null) setActive(step);
    }
  });

  const stepHasError = (step: number) => Object.keys(form.errors).some((path) => stepOfField(path) === step);
  // A passed Variables step with required values left empty is not ticked green: the deployment will need configuration.
  const stepIncomplete = (step: number) => step === 1 && active > 1 && missingVariables.length > 0;

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="lg">
        <Stepper active={active} onStepClick={goTo} size="sm" aria-label="Steps">
          {WIZARD_STEPS.map((step, index) => (
            <Stepper.Step
              key={step.label}
              // The name is the visible text (so voice control finds it) plus the state the colour shows.
              label={
                <>
                  {step.label}
                  {(stepHasError(index) || stepIncomplete(index)) && (
                    <VisuallyHidden>{stepHasError(index) ? ' (has errors)' : ' (required values missing)'}</VisuallyHidden>
                  )}
                </>
              }
              description={step.description}
              color={stepHasError(index) ? 'red' : stepIncomplete(index) ? 'orange' : undefined}
              completedIcon={stepIncomplete(index) ? <span aria-hidden="true">!</span> : undefined}
            />
          ))}
        </Stepper>

        {active === 0 && (
          <Stack gap="md">
            <Title order={2} size="h3">
              Environment
            </Title>
            <Select
              label="Template"
              placeholder={templates.isPending ? 'Loading templates…' : 'Choose a template'}
              searchable
              nothingFoundMessage="No template matches"
              data={(templates.data ?? []).map((t) => ({ value: t.id, label: `${t.name} (${t.category})` }))}
              description={template?.description}
              withAsterisk
              value={form.values.templateId || null}
              onChange={chooseTemplate}
              error={form.errors.templateId ?? (templates.isError ? 'Could not load the templates.' : undefined)}
            />
            <Select
              label="Project"
              placeholder={projects.isPending ? 'Loading projects…' : 'Choose a project'}
              searchable
              nothingFoundMessage="No project matches"
              data={(projects.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
              withAsterisk
              {...form.getInputProps('projectId')}
              value={form.values.projectId || null}
              onChange={(value) => form.setFieldValue('projectId', value ?? '')}
              error={form.errors.projectId ?? (projects.isError ? 'Could not load the projects.' : undefined)}
            />
            {projects.data?.length === 0 && (
              <Text size="sm" c="dimmed">
                No projects yet for this provider.{' '}
                <Anchor component={Link} to={`/${provider}/projects`}>
                  Create a project
                </Anchor>{' '}
                first.
              </Text>
            )}
            <Select
              label="Cloud environment"
              placeholder={environments.isPending ? 'Loading cloud environments…' : 'Choose a cloud environment'}
              searchable
              nothingFoundMessage="No cloud environment matches"
              data={(environments.data ?? []).map((e) => ({ value: e.id, label: `${e.name} (${e.region})` }))}
              withAsterisk
              {...form.getInputProps('cloudEnvironmentId')}
              value={form.values.cloudEnvironmentId || null}
              onChange={(value) => form.setFieldValue('cloudEnvironmentId', value ?? '')}
              error={
                form.errors.cloudEnvironmentId ?? (environments.isError ? 'Could not load the cloud environments.' : undefined)
              }
            />
            {environments.data?.length === 0 && (
              <Text size="sm" c="dimmed">
                No cloud environments yet for this provider.{' '}
                <Anchor component={Link} to={`/${provider}/cloud-environments`}>
                  Create a cloud environment
                </Anchor>{' '}
                first.
              </Text>
            )}
            <TextInput
              label="Name"
              withAsterisk
              autoComplete="off"
              maxLength={NAME_MAX}
              rightSection={<LengthCounter value={form.values.name} max={NAME_MAX} />}
              rightSectionWidth={90}
              {...form.getInputProps('name')}
            />
            <Textarea
              label="Description"
              autosize
              minRows={2}
              maxLength={DESCRIPTION_MAX}
              rightSection={<LengthCounter value={form.values.description} max={DESCRIPTION_MAX} />}
              rightSectionWidth={90}
              {...form.getInputProps('description')}
            />
            <Switch
              label="Require a distinct approver"
              description={FOUR_EYES_DESCRIPTION}
              {...form.getInputProps('requireDistinctApprover', { type: 'checkbox' })}
            />
          </Stack>
        )}

        {active === 1 && (
          <Stack gap="md">
            <Title order={2} size="h3">
              Variables
            </Title>
            {missingVariables.length > 0 && (
              <Text size="sm" c="dimmed">
                Required without a value: {missingVariables.join(', ')}. The deployment can be created without them,
                but needs configuration before it can run.
              </Text>
            )}
            {template ? (
              <VariablesForm
                form={form}
                variables={template.variables}
                environmentRegion={environment?.region}
              />
            ) : (
              <Text size="sm" c="dimmed">
                Choose a template on the Environment step first: its variables are asked here.
              </Text>
            )}
          </Stack>
        )}

        {active === 2 && (
          <Stack gap="md">
            <Title order={2} size="h3">
              Tags
            </Title>
            <TagsInput
              label="Tags"
              description="Press Enter after each tag"
              clearable
              {...form.getInputProps('tags')}
            />
          </Stack>
        )}

        {active === REVIEW_STEP && (
          <Stack gap="md">
            <Title order={2} size="h3">
              Review
            </Title>
            <Table variant="vertical" withTableBorder aria-label="Summary">
              <Table.Tbody>
                <SummaryRow label="Template" value={template?.name} />
                <SummaryRow label="Project" value={project?.name} />
                <SummaryRow
                  label="Cloud environment"
                  value={environment ? `${environment.name} (${environment.region})` : undefined}
                />
                <SummaryRow label="Name" value={form.values.name.trim()} />
                <SummaryRow label="Description" value={form.values.description.trim()} />
                <SummaryRow
                  label="Approvals"
                  value={form.values.requireDistinctApprover ? 'Distinct approver required' : 'Any approver'}
                />
                <Table.Tr>
                  <Table.Th w={200}>Tags</Table.Th>
                  <Table.Td>
                    {form.values.tags.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        None
                      </Text>
                    ) : (
                      <Group gap={4}>
                        {form.values.tags.map((tag) => (
                          <Badge key={tag} variant="outline" tt="none">
                            {tag}
                          </Badge>
                        ))}
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
            {template && template.variables.length > 0 && (
              <Table withTableBorder aria-label="Variables to create with">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Variable</Table.Th>
                    <Table.Th>Value</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {template.variables.map((variable) => {
                    const value = toApiValue(variable, form.values.variables[variable.name]);
                    return (
                      <Table.Tr key={variable.name}>
                        <Table.Td>
                          <Text ff="monospace" size="sm">
                            {variable.name}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          {variable.sensitive && value !== undefined ? (
                            <Text size="sm">{MASK}</Text>
                          ) : value !== undefined && typeof value === 'object' ? (
                            <Code block>{JSON.stringify(value, null, 2)}</Code>
                          ) : (
                            <Text size="sm" c={value === undefined ? 'dimmed' : undefined}>
                              {value === undefined
                                ? variable.name === 'region'
                                  ? `— (from the cloud environment${environment ? `: ${environment.region}` : ''})`
                                  : '—'
                                : displayValue(value)}
                            </Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        )}

        {formError && (
          <Alert color="red" variant="light" role="alert" style={{ whiteSpace: 'pre-line' }}>
            {formError}
          </Alert>
        )}

        <Group justify="space-between">
          <Button variant="default" onClick={cancel} disabled={createDeployment.isPending}>
            Cancel
          </Button>
          <Group gap="sm">
            {active > 0 && (
              <Button variant="default" onClick={() => setActive((step) => step - 1)} disabled={createDeployment.isPending}>
                Back
              </Button>
            )}
            {active < REVIEW_STEP ? (
              // Keys keep React from turning the clicked Next button into the submit button mid-click.
              <Button key="next" onClick={() => goTo(active + 1)}>
                Next
              </Button>
            ) : (
              <Button key="create" type="submit" loading={createDeployment.isPending}>
                Create deployment
              </Button>
            )}
          </Group>
        </Group>
      </Stack>
      <ConfirmDialog
        opened={confirmingCancel}
        title="Discard this deployment?"
        message="What you entered in the wizard is lost."
        confirmLabel="Discard"
        cancelLabel="Keep editing"
        onConfirm={onCancel}
        onClose={() => setConfirmingCancel(false)}
      />
    </form>
  );
}

function SummaryRow({ label, value }: { label: string; value: string | undefined }) {
  return (
    <Table.Tr>
      <Table.Th w={200}>{label}</Table.Th>
      <Table.Td>
        <Text size="sm" c={value ? undefined : 'dimmed'}>
          {value || '—'}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}
