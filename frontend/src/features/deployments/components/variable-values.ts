import type { TemplateVariable } from '../../templates/api/template-queries';

/**
 * The value of one generated input, as the form holds it: text (also a Select's choice), a number or `''`,
 * a boolean, a group of field values (object) or rows of them (list(object)).
 */
export type VariableFormValue = string | number | boolean | null | VariableFormObject | VariableFormObject[];
export interface VariableFormObject {
  [field: string]: VariableFormValue;
}
/** The values of a template's variables by variable name. */
export type VariableFormValues = Record<string, VariableFormValue>;

/** Which input a variable gets. */
export type VariableInputKind = 'object' | 'list' | 'switch' | 'select' | 'secret' | 'number' | 'text';

export function inputKind(variable: TemplateVariable): VariableInputKind {
  if (variable.type === 'object') return 'object';
  if (variable.type === 'list(object)') return 'list';
  if (variable.type === 'bool') return 'switch';
  if ((variable.options?.length ?? 0) > 0) return 'select';
  if (variable.sensitive) return 'secret';
  if (variable.type === 'number') return 'number';
  return 'text';
}

/** The Select value of an option: strings as they are, anything else (numbers) as JSON. */
export function optionValue(option: unknown): string {
  return typeof option === 'string' ? option : JSON.stringify(option);
}

/** The region variable may stay empty: the server fills it from the cloud environment. */
export function isRegionVariable(variable: TemplateVariable): boolean {
  return variable.name === 'region' && variable.type === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface InitialOptions {
  /** Sensitive values are never returned: their inputs start empty (edit). */
  blankSensitive?: boolean;
}

/** The input value a variable starts with: the stored value if any, else its default, else empty. */
export function initialValue(variable: TemplateVariable, stored: unknown, options: InitialOptions = {}): VariableFormValue {
  const given = stored !== undefined && stored !== null ? stored : variable.default;
  switch (inputKind(variable)) {
    case 'switch':
      return typeof given === 'boolean' ? given : false;
    case 'select':
      return given === undefined || given === null || (options.blankSensitive && variable.sensitive) ? '' : optionValue(given);
    case 'secret':
      return options.blankSensitive || typeof given !== 'string' ? '' : given;
    case 'number':
      return typeof given === 'number' ? given : '';
    case 'object':
      return initialObject(variable.fields ?? [], given);
    case 'list': {
      const rows = (Array.isArray(given) ? given : []).map((row) => initialObject(variable.fields ?? [], row));
      while (rows.length < (variable.minItems ?? 0)) rows.push(newRow(variable));
      return rows;
    }
    default:
      return typeof given === 'string' ? given : given === undefined || given === null ? '' : String(given);
  }
}

function initialObject(fields: TemplateVariable[], stored: unknown): VariableFormObject {
  const source = isRecord(stored) ? stored : {};
  return Object.fromEntries(fields.map((field) => [field.name, initialValue(field, source[field.name])]));
}

/** A new row of a list(object) variable: every field at its default. */
export function newRow(variable: TemplateVariable): VariableFormObject {
  return initialObject(variable.fields ?? [], undefined);
}

/** Every variable of a template at its starting value. */
export function initialVariables(
  declared: TemplateVariable[],
  stored: Record<string, unknown> = {},
  options: InitialOptions = {},
): VariableFormValues {
  return Object.fromEntries(declared.map((variable) => [variable.name, initialValue(variable, stored[variable.name], options)]));
}

/**
 * What the API gets for an input, or `undefined` for "no value" (an empty text or number, no choice).
 * Empty fields of an object are left out, so the server names each required one that is missing.
 */
export function toApiValue(variable: TemplateVariable, value: VariableFormValue | undefined): unknown {
  switch (inputKind(variable)) {
    case 'switch':
      return typeof value === 'boolean' ? value : undefined;
    case 'select': {
      if (value === null || value === undefined || value === '') return undefined;
      const option = (variable.options ?? []).find((o) => optionValue(o) === value);
      return option !== undefined ? option : value;
    }
    case 'number':
      if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      return undefined;
    case 'object': {
      const object = toApiObject(variable.fields ?? [], value);
      return Object.keys(object).length > 0 || variable.required ? object : undefined;
    }
    case 'list':
      return Array.isArray(value) ? value.map((row) => toApiObject(variable.fields ?? [], row)) : undefined;
    default:
      return typeof value === 'string' && value !== '' ? value : undefined;
  }
}

function toApiObject(fields: TemplateVariable[], value: unknown): Record<string, unknown> {
  const source = isRecord(value) ? (value as VariableFormObject) : {};
  const result: Record<string, unknown> = {};
  for (const field of fields) {
    const converted = toApiValue(field, source[field.name]);
    if (converted !== undefined) result[field.name] = converted;
  }
  return result;
}

/** The `variables` of a new deployment: every variable that has a value. */
export function toCreateVariables(declared: TemplateVariable[], values: VariableFormValues): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const variable of declared) {
    const converted = toApiValue(variable, values[variable.name]);
    if (converted !== undefined) result[variable.name] = converted;
  }
  return result;
}

/**
 * The `variables` of a PATCH: each plain variable with its value, or `null` to clear it; a sensitive one only
 * when a new value was typed (the server keeps a key it is not sent).
 */
export function toUpdateVariables(declared: TemplateVariable[], values: VariableFormValues): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const variable of declared) {
    const converted = toApiValue(variable, values[variable.name]);
    if (variable.sensitive) {
      if (converted !== undefined) result[variable.name] = converted;
    } else {
      result[variable.name] = converted === undefined ? null : converted;
    }
  }
  return result;
}

/** A value as the review and detail pages show it; sensitive ones never show. */
export function displayValue(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

export const MASK = '••••';
