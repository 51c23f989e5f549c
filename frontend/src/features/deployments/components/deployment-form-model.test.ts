import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/client';
import { problemToFormErrors } from '../../../lib/problem-form-errors';
import { networkVariables, templateVariable } from '../../../test/fixtures';
import {
  emptyDeploymentValues,
  firstStepWithError,
  formPathFor,
  missingEnvironmentFields,
  missingRequiredVariables,
  stepOfField,
  type DeploymentFormValues,
} from './deployment-form-model';
import { initialVariables } from './variable-values';

const values: DeploymentFormValues = { ...emptyDeploymentValues(), variables: initialVariables(networkVariables) };
const invalid = (errors: Record<string, string[]>) => new ApiError(400, { title: 'One or more fields are invalid', errors });
const place = (errors: Record<string, string[]>) =>
  problemToFormErrors(invalid(errors), { mapField: (field) => formPathFor(field, values) });

describe('deployment form errors', () => {
  it('puts an error inside a list(object) row on that row’s input', () => {
    expect(place({ 'variables.subnets[0].cidr': ['cidr is required.'] })).toEqual({
      fieldErrors: { 'variables.subnets.0.cidr': 'cidr is required.' },
      formError: null,
    });
  });

  it('puts errors on top-level fields, variables, object fields and the tags input', () => {
    const { fieldErrors } = place({
      name: ['Name is required.'],
      projectId: ['Project is required.'],
      'variables.name': ['name is required.'],
      'variables.backup.retention_days': ['Must be a number.'],
      'tags[2]': ['Tags may be at most 50 characters.'],
    });

    expect(fieldErrors).toEqual({
      name: 'Name is required.',
      projectId: 'Project is required.',
      'variables.name': 'name is required.',
      'variables.backup.retention_days': 'Must be a number.',
      tags: 'Tags may be at most 50 characters.',
    });
  });

  it('puts an error on a row or field the form lacks on the nearest group it has', () => {
    expect(place({ 'variables.subnets[5].cidr': ['Must be a string.'] }).fieldErrors).toEqual({
      'variables.subnets': 'Must be a string.',
    });
    expect(place({ 'variables.subnets[0].zone': ['Not a field of this object.'] }).fieldErrors).toEqual({
      'variables.subnets.0': 'Not a field of this object.',
    });
  });

  it('leaves a variable the template does not declare for the form-level message', () => {
    const result = place({ 'variables.colour': ["The template declares no variable 'colour'."] });

    expect(result.fieldErrors).toEqual({});
    expect(result.formError).toContain("variables.colour: The template declares no variable 'colour'.");
  });

  it('knows which step shows each field, and the first step with an error', () => {
    expect(stepOfField('cloudEnvironmentId')).toBe(0);
    expect(stepOfField('variables.subnets.0.cidr')).toBe(1);
    expect(stepOfField('tags')).toBe(2);
    expect(firstStepWithError({ tags: 'x', 'variables.name': 'y' })).toBe(1);
    expect(firstStepWithError({ 'variables.name': 'y', name: 'z' })).toBe(0);
    expect(firstStepWithError({})).toBeNull();
  });
});

describe('wizard rules', () => {
  const valuesWith = (overrides: Partial<DeploymentFormValues> = {}): DeploymentFormValues => ({
    ...emptyDeploymentValues(),
    ...overrides,
  });

  it('names every Environment field the API requires, in its words', () => {
    expect(missingEnvironmentFields(valuesWith({ name: '  ' }))).toEqual({
      templateId: 'Template is required.',
      projectId: 'Project is required.',
      cloudEnvironmentId: 'Cloud environment is required.',
      name: 'Name is required.',
    });
    expect(
      missingEnvironmentFields(valuesWith({ templateId: 't', projectId: 'p', cloudEnvironmentId: 'c', name: 'db' })),
    ).toEqual({});
  });

  it('lists required variables without a value, region excepted when the cloud environment gives one', () => {
    const template = {
      variables: [
        templateVariable({ name: 'name', type: 'string', required: true, needsValue: true }),
        templateVariable({ name: 'region', type: 'string', required: true, needsValue: true }),
        templateVariable({ name: 'size', type: 'number', required: true, needsValue: false, default: 20 }),
      ],
    };
    expect(missingRequiredVariables(template, valuesWith({ variables: { name: '', region: '' } }), undefined)).toEqual([
      'name',
      'region',
    ]);
    expect(missingRequiredVariables(template, valuesWith({ variables: { name: 'orders', region: '' } }), 'eu-west-1')).toEqual([]);
  });
});
