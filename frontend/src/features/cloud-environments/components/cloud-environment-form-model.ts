import type { CloudEnvironment } from '../api/cloud-environment-queries';
import type { CreateCloudEnvironmentBody } from '../api/use-create-cloud-environment';
import type { UpdateCloudEnvironmentBody } from '../api/use-update-cloud-environment';

/** One credential row: a variable already stored on the server (`existing`, value write-only) or a new one. */
export interface CredentialRow {
  rowId: string;
  key: string;
  value: string;
  existing: boolean;
}

export interface CloudEnvironmentFormValues {
  name: string;
  region: string;
  accountId: string;
  credentials: CredentialRow[];
  /** Stored variables the user removed: sent as `null` on save. */
  removedKeys: string[];
}

let rowCounter = 0;
export function newCredentialRow(key = '', value = ''): CredentialRow {
  rowCounter += 1;
  return { rowId: `credential-${rowCounter}`, key, value, existing: false };
}

export function emptyFormValues(): CloudEnvironmentFormValues {
  return { name: '', region: '', accountId: '', credentials: [newCredentialRow()], removedKeys: [] };
}

/** Edit starts from the stored fields; each stored credential shows as "set" with an empty value. */
export function formValuesFrom(environment: CloudEnvironment): CloudEnvironmentFormValues {
  rowCounter += 1;
  return {
    name: environment.name,
    region: environment.region,
    accountId: environment.accountId,
    credentials: environment.credentialKeys.map((key, index) => ({
      rowId: `stored-${rowCounter}-${index}`,
      key,
      value: '',
      existing: true,
    })),
    removedKeys: [],
  };
}

function isBlankNewRow(row: CredentialRow) {
  return !row.existing && row.key.trim() === '' && row.value === '';
}

export function toCreateBody(
  provider: CreateCloudEnvironmentBody['provider'],
  values: CloudEnvironmentFormValues,
): CreateCloudEnvironmentBody {
  const credentials: Record<string, string> = {};
  for (const row of values.credentials) {
    if (!isBlankNewRow(row)) credentials[row.key.trim()] = row.value;
  }
  return {
    provider,
    name: values.name.trim(),
    region: values.region.trim(),
    accountId: values.accountId.trim(),
    credentials,
  };
}

/**
 * PATCH body: removed variables become `null`, typed values (new rows, or stored ones given a new value) are set,
 * stored variables left empty are not mentioned, so the server keeps them.
 */
export function toUpdateBody(values: CloudEnvironmentFormValues): UpdateCloudEnvironmentBody {
  const credentials: Record<string, string | null> = {};
  for (const key of values.removedKeys) credentials[key] = null;
  for (const row of values.credentials) {
    if (row.existing ? row.value !== '' : !isBlankNewRow(row)) credentials[row.key.trim()] = row.value;
  }
  return {
    name: values.name.trim(),
    region: values.region.trim(),
    accountId: values.accountId.trim(),
    ...(Object.keys(credentials).length > 0 ? { credentials } : {}),
  };
}

/** Client-side checks of the credential rows only; the other fields are left to the API's validation. */
export function validateCredentials(values: CloudEnvironmentFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  const seen = new Set<string>();
  values.credentials.forEach((row, index) => {
    if (isBlankNewRow(row)) return;
    const key = row.key.trim();
    if (!key) {
      errors[`credentials.${index}.key`] = 'Enter the variable name';
    } else if (!row.existing && !isVariableName(key)) {
      errors[`credentials.${index}.key`] = 'Use letters, digits and _, not starting with a digit';
    } else if (seen.has(key)) {
      errors[`credentials.${index}.key`] = `${key} is listed twice`;
    } else if (!row.existing && row.value === '') {
      errors[`credentials.${index}.value`] = 'Enter the value';
    }
    seen.add(key);
  });
  return errors;
}

/** An environment variable name, as the API accepts them. */
export function isVariableName(key: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key);
}

/**
 * Where an API field path shows in this form: `credentials.AWS_SECRET_ACCESS_KEY` lands on that row's value,
 * or on its name when the name itself is not a valid variable name.
 */
export function formPathFor(apiField: string, values: CloudEnvironmentFormValues): string | undefined {
  if (apiField === 'name' || apiField === 'region' || apiField === 'accountId' || apiField === 'credentials') {
    return apiField;
  }
  if (apiField.startsWith('credentials.')) {
    const key = apiField.slice('credentials.'.length);
    const index = values.credentials.findIndex((row) => row.key.trim() === key);
    if (index >= 0) return `credentials.${index}.${isVariableName(key) ? 'value' : 'key'}`;
    if (/^\d+$/.test(key) && Number(key) < values.credentials.length) return `credentials.${key}.value`;
  }
  return undefined;
}
