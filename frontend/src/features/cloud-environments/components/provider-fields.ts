/** How each provider names the account and the usual credential variables, for labels and placeholders. */
export const providerFields: Record<string, { accountLabel: string; regionExample: string; credentialExample: string }> = {
  aws: { accountLabel: 'Account ID', regionExample: 'us-east-1', credentialExample: 'AWS_ACCESS_KEY_ID' },
  azure: { accountLabel: 'Subscription ID', regionExample: 'westeurope', credentialExample: 'ARM_CLIENT_SECRET' },
  gcp: { accountLabel: 'Project ID', regionExample: 'europe-west1', credentialExample: 'GOOGLE_CREDENTIALS' },
};

export function fieldsFor(provider: string) {
  return providerFields[provider] ?? { accountLabel: 'Account ID', regionExample: '', credentialExample: 'VARIABLE_NAME' };
}
