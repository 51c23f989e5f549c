import { describe, expect, it } from 'vitest';
import {
  formPathFor,
  newCredentialRow,
  toCreateBody,
  toUpdateBody,
  validateCredentials,
  type CloudEnvironmentFormValues,
} from './cloud-environment-form-model';

const stored = (key: string, value = '') => ({ ...newCredentialRow(key, value), existing: true });

function values(overrides: Partial<CloudEnvironmentFormValues>): CloudEnvironmentFormValues {
  return { name: ' prod ', region: 'eu-west-1', accountId: '1', credentials: [], removedKeys: [], ...overrides };
}

describe('cloud environment form model', () => {
  it('creates with every filled row and skips blank ones', () => {
    const body = toCreateBody('aws', values({ credentials: [newCredentialRow(' A ', 'x'), newCredentialRow()] }));

    expect(body).toEqual({ provider: 'aws', name: 'prod', region: 'eu-west-1', accountId: '1', credentials: { A: 'x' } });
  });

  it('omits credentials from the PATCH when none changed', () => {
    expect(toUpdateBody(values({ credentials: [stored('A')] }))).not.toHaveProperty('credentials');
  });

  it('re-adding a removed variable sets it instead of removing it', () => {
    const body = toUpdateBody(values({ credentials: [newCredentialRow('A', 'new')], removedKeys: ['A'] }));

    expect(body.credentials).toEqual({ A: 'new' });
  });

  it('maps credential paths to the value input of the row with that variable', () => {
    const form = values({ credentials: [newCredentialRow('A', '1'), newCredentialRow('B', '2')] });

    expect(formPathFor('credentials.B', form)).toBe('credentials.1.value');
    expect(formPathFor('credentials', form)).toBe('credentials');
    expect(formPathFor('credentials.C', form)).toBeUndefined();
    expect(formPathFor('provider', form)).toBeUndefined();
  });
});

describe('credential validation', () => {
  it('puts an invalid variable name message on the name input and a missing value on the value input', () => {
    const form = values({ credentials: [newCredentialRow('1BAD', 'x'), newCredentialRow('GOOD', '')] });

    expect(validateCredentials(form)).toEqual({
      'credentials.0.key': 'Use letters, digits and _, not starting with a digit',
      'credentials.1.value': 'Enter the value',
    });
    expect(formPathFor('credentials.1BAD', form)).toBe('credentials.0.key');
  });
});
