import { Button, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { TableSkeleton } from '../../../components/table-skeleton';
import { pipelineQueries } from '../../pipelines/api/pipeline-queries';
import { tokenQueries, type ApiToken, type CreatedApiToken } from '../api/token-queries';
import { NewTokenModal } from '../components/new-token-modal';
import { RevokeTokenDialog } from '../components/revoke-token-dialog';
import { TokenCreatedModal } from '../components/token-created-modal';
import { TokensTable } from '../components/tokens-table';

/** `/tokens`: the signed-in user's API tokens — create (shown once), list by prefix, revoke. */
export function TokensPage() {
  const tokens = useQuery(tokenQueries.list());
  const hasPipelineTokens = tokens.data?.some((token) => token.pipelineId) ?? false;
  const pipelines = useQuery({ ...pipelineQueries.options(), enabled: hasPipelineTokens });
  const pipelineNames = useMemo(
    () => new Map((pipelines.data ?? []).map((pipeline) => [pipeline.id, pipeline.name])),
    [pipelines.data],
  );
  const [creating, setCreating] = useState(false);
  // The new token's value lives only here, only while its dialog is open.
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [revocation, setRevocation] = useState<{ opened: boolean; token: ApiToken | null }>({
    opened: false,
    token: null,
  });
  const openCreate = () => setCreating(true);

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens let scripts (personal tokens, with your role) and CI jobs (pipeline trigger tokens) call the API as you."
        actions={<Button onClick={openCreate}>New token</Button>}
      />

      <Stack>
        {tokens.isPending ? (
          <TableSkeleton rows={3} label="Loading tokens" />
        ) : tokens.isError ? (
          <ErrorAlert error={tokens.error} title="Could not load your tokens" onRetry={() => void tokens.refetch()} />
        ) : tokens.data.length === 0 ? (
          <EmptyState
            title="No tokens yet"
            description="Create a token for a script or a CI job. Its value is shown once, when you create it."
            action={<Button onClick={openCreate}>Create your first token</Button>}
          />
        ) : (
          <TokensTable
            tokens={tokens.data}
            pipelineNames={pipelineNames}
            onRevoke={(token) => setRevocation({ opened: true, token })}
          />
        )}
      </Stack>

      <NewTokenModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(token) => {
          setCreating(false);
          setCreated(token);
        }}
      />
      <TokenCreatedModal created={created} onClose={() => setCreated(null)} />
      <RevokeTokenDialog
        opened={revocation.opened}
        token={revocation.token}
        onClose={() => setRevocation((current) => ({ ...current, opened: false }))}
      />
    </>
  );
}
