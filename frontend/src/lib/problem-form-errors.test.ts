import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { normaliseFieldPath, problemToFormErrors } from './problem-form-errors';

const validation = (errors: Record<string, string[]>) =>
  new ApiError(400, { title: 'One or more validation errors occurred.', status: 400, errors });

describe('problemToFormErrors', () => {
  it('puts each field of a 400 errors map on that field, joining several messages', () => {
    const result = problemToFormErrors(
      validation({ name: ['Name is required.', 'Name is too short.'], region: ['Region is required.'] }),
    );

    expect(result.fieldErrors).toEqual({
      name: 'Name is required. Name is too short.',
      region: 'Region is required.',
    });
    expect(result.formError).toBeNull();
  });

  it('leaves fields the form does not show for the form-level message', () => {
    const result = problemToFormErrors(validation({ name: ['Too long.'], owner: ['Unknown owner.'] }), {
      mapField: (field) => (field === 'name' ? 'name' : undefined),
    });

    expect(result.fieldErrors).toEqual({ name: 'Too long.' });
    expect(result.formError).toContain('owner: Unknown owner.');
  });

  it('converts indexed and keyed paths to form paths', () => {
    expect(normaliseFieldPath('stepIds[2]')).toBe('stepIds.2');
    expect(normaliseFieldPath("credentials['AWS_ACCESS_KEY_ID']")).toBe('credentials.AWS_ACCESS_KEY_ID');
    expect(normaliseFieldPath('credentials.AWS_ACCESS_KEY_ID')).toBe('credentials.AWS_ACCESS_KEY_ID');
    expect(normaliseFieldPath('$.name')).toBe('name');
  });

  it('shows a 409 without field errors on the conflict field', () => {
    const conflict = new ApiError(409, { title: 'Conflict', detail: 'A project named "web" already exists.' });

    const result = problemToFormErrors(conflict, { conflictField: 'name' });

    expect(result.fieldErrors).toEqual({ name: 'A project named "web" already exists.' });
    expect(result.formError).toBeNull();
  });

  it('gives other failures to the form as title and detail', () => {
    const result = problemToFormErrors(new ApiError(500, { title: 'Server error', detail: 'Try later.' }), {
      conflictField: 'name',
    });

    expect(result.fieldErrors).toEqual({});
    expect(result.formError).toBe('Server error: Try later.');
  });

  it('reports a network failure by its message', () => {
    expect(problemToFormErrors(new TypeError('Failed to fetch')).formError).toBe('Failed to fetch');
  });
});
