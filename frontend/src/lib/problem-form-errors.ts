import type { UseFormReturnType } from '@mantine/form';
import { isApiError } from '../api/client';

export interface ProblemFormOptions {
  /**
   * Maps an API field path (camelCase; `a.b`, `a[0]` arrive as `a.b`, `a.0`) to the form path that shows it.
   * Return `undefined` to leave the message for the form-level summary.
   */
  mapField?: (apiField: string) => string | undefined;
  /** The form field that shows a 409 conflict (e.g. a duplicate name) when the problem lists no fields. */
  conflictField?: string;
}

export interface ProblemFormErrors {
  /** Messages by form path, ready for `form.setErrors`. */
  fieldErrors: Record<string, string>;
  /** What could not be placed on a field; show it above the form. `null` when everything was placed. */
  formError: string | null;
}

/** `stepIds[2]` → `stepIds.2`, `credentials['KEY']` → `credentials.KEY`; trims a leading `$.` that some validators add. */
export function normaliseFieldPath(apiField: string): string {
  return apiField
    .replace(/^\$\.?/, '')
    .replace(/\[\s*['"]?([^\]'"]+?)['"]?\s*\]/g, '.$1')
    .replace(/^\./, '');
}

/** Turns a failed request (usually an {@link ApiError} with RFC 9457 problem details) into form errors. */
export function problemToFormErrors(error: unknown, options: ProblemFormOptions = {}): ProblemFormErrors {
  if (!isApiError(error)) {
    return { fieldErrors: {}, formError: error instanceof Error ? error.message : 'Something went wrong.' };
  }

  const mapField = options.mapField ?? ((field: string) => field);
  const fieldErrors: Record<string, string> = {};
  const unplaced: string[] = [];

  for (const [apiField, messages] of Object.entries(error.errors)) {
    const path = apiField ? mapField(normaliseFieldPath(apiField)) : undefined;
    const text = messages.join(' ');
    if (path) {
      fieldErrors[path] = fieldErrors[path] ? `${fieldErrors[path]} ${text}` : text;
    } else {
      unplaced.push(apiField ? `${apiField}: ${text}` : text);
    }
  }

  const placedAny = Object.keys(fieldErrors).length > 0;
  if (!placedAny && unplaced.length === 0 && error.status === 409 && options.conflictField) {
    fieldErrors[options.conflictField] = error.detail ?? error.title;
    return { fieldErrors, formError: null };
  }

  if (unplaced.length > 0) {
    return { fieldErrors, formError: [error.detail ?? error.title, ...unplaced].join('\n') };
  }
  if (placedAny) {
    return { fieldErrors, formError: null };
  }
  return { fieldErrors, formError: error.detail ? `${error.title}: ${error.detail}` : error.title };
}

/**
 * Puts a failed request's field errors on a Mantine form and returns what is left for a form-level alert.
 * By default a field is placed only when the form has a value at that path.
 */
export function applyProblemToForm<Values>(
  form: UseFormReturnType<Values>,
  error: unknown,
  options: ProblemFormOptions = {},
): string | null {
  const values = form.getValues();
  const mapField = options.mapField ?? ((field: string) => (hasPath(values, field) ? field : undefined));
  const { fieldErrors, formError } = problemToFormErrors(error, { ...options, mapField });
  form.setErrors(fieldErrors);
  return formError;
}

export function hasPath(values: unknown, path: string): boolean {
  let current: unknown = values;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null || !(segment in current)) return false;
    current = (current as Record<string, unknown>)[segment];
  }
  return true;
}
