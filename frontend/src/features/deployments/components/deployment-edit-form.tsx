import { Alert, Button, Group, Select, Stack, Switch, TagsInput, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { problemToFormErrors } from '../../../lib/problem-form-errors';
import { cloudEnvironmentQueries } from '../../cloud-environments/api/cloud-environment-queries';
import type { Template } from '../../templates/api/template-queries';
import type { Deployment } from '../api/deployment-queries';
import type { UpdateDeploymentBody } from '../api/use-update-deployment';
import { FOUR_EYES_DESCRIPTION, formPathFor, type DeploymentFormValues } from './deployment-form-model';
import { initialVariables, toUpdateVariables } from './variable-values';
import { VariablesForm } from './variables-form';
import { LengthCounter } from '../../../components/length-counter';
import { DESCRIPTION_MAX, NAME_MAX } from '../../../lib/field-limits';

interface DeploymentEditFormProps {
  deployment: Deployment;
  template: Template;
  /** Sends the PATCH; a rejected promise (an ApiError) puts its messages on the fields. */
  onSubmit: (body: UpdateDeploymentBody) => Promise<unknown>;
  onCancel: () => void;
}

/** Name, description, cloud environment, variables (the wizard's generated inputs) and tags of a deployment. */
export function DeploymentEditForm({ deployment, template, onSubmit, onCancel }: DeploymentEditFormProps) {
  const environments = useQuery(cloudEnvironmentQueries.options(deployment.provider));
  const form = useForm<DeploymentFormValues>({
    mode: 'controlled',
    initialValues: {
      templateId: deployment.templateId,
      projectId: deployment.projectId,
      cloudEnvironmentId: deployment.cloudEnvironmentId,
      name: deployment.name,
      description: deployment.description,
      // Sensitive values are never returned: their inputs start empty and keep the stored value unless typed in.
      variables: initialVariables(template.variables, deployment.variables, { blankSensitive: true }),
      tags: deployment.tags,
      requireDistinctApprover: deployment.requireDistinctApprover,
    },
  });
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const environmentOptions = (environments.data ?? []).map((e) => ({ value: e.id, label: `${e.name} (${e.region})` }));
  if (!environmentOptions.some((option) => option.value === deployment.cloudEnvironmentId)) {
    environmentOptions.unshift({ value: deployment.cloudEnvironmentId, label: deployment.cloudEnvironmentName });
  }
  const environment = environments.data?.find((e) => e.id === form.values.cloudEnvironmentId);

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    setSubmitting(true);
    try {
      await onSubmit({
        name: values.name.trim(),
        description: values.description.trim(),
        cloudEnvironmentId: values.cloudEnvironmentId || undefined,
        variables: toUpdateVariables(template.variables, values.variables),
        tags: values.tags,
        requireDistinctApprover: values.requireDistinctApprover,
      });
    } catch (error) {
      const { fieldErrors, formError } = problemToFormErrors(error, {
        conflictField: 'name',
        mapField: (field) => formPathFor(field, values),
      });
      form.setErrors(fieldErrors);
      setFormError(formError);
    } finally {
      setSubmitting(false);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="lg">
        <Stack gap="md">
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
          <Select
            label="Cloud environment"
            data={environmentOptions}
            searchable
            allowDeselect={false}
            nothingFoundMessage="No cloud environment matches"
            {...form.getInputProps('cloudEnvironmentId')}
            onChange={(value) => form.setFieldValue('cloudEnvironmentId', value ?? deployment.cloudEnvironmentId)}
          />
        </Stack>

        <Stack gap="md">
          <Title order={2} size="h3">
            Variables
          </Title>
          <VariablesForm
            form={form}
            variables={template.variables}
            storedSensitive={deployment.sensitiveVariables}
            environmentRegion={environment?.region}
          />
        </Stack>

        <TagsInput label="Tags" description="Press Enter after each tag" clearable {...form.getInputProps('tags')} />
        <Switch
          label="Require a distinct approver"
          description={FOUR_EYES_DESCRIPTION}
          {...form.getInputProps('requireDistinctApprover', { type: 'checkbox' })}
        />

        {formError && (
          <Alert color="red" variant="light" role="alert" style={{ whiteSpace: 'pre-line' }}>
            {formError}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={submitting}>
            Cancel
          </Button>
          <Button type="submit" loading={submitting}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
