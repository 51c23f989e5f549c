import { Badge, Button, Table, Text, VisuallyHidden } from '@mantine/core';
import { StatusBadge } from '../../../components/status-badge';
import { formatDateTime } from '../../../lib/format';
import { tokenStatus, type ApiToken } from '../api/token-queries';

interface TokensTableProps {
  tokens: ApiToken[];
  /** Pipeline names by id, for pipeline trigger tokens. */
  pipelineNames: ReadonlyMap<string, string>;
  onRevoke: (token: ApiToken) => void;
}

export function TokensTable({ tokens, pipelineNames, onRevoke }: TokensTableProps) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover verticalSpacing="sm" aria-label="API tokens">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Pipeline</Table.Th>
            <Table.Th>Token</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((token) => {
            const status = tokenStatus(token);
            return (
              <Table.Tr key={token.id}>
                <Table.Td>
                  <Text fw={500}>{token.name}</Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="outline" tt="none" color={token.kind === 'pipeline' ? 'grape' : 'blue'}>
                    {token.kind === 'pipeline' ? 'Pipeline trigger' : 'Personal'}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {token.pipelineId ? (
                    <Text size="sm">{pipelineNames.get(token.pipelineId) ?? token.pipelineId}</Text>
                  ) : (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {/* Only the prefix is ever shown again: enough to recognise a token, useless to use it. */}
                  <Text ff="monospace" size="sm" aria-label={`Starts with ${token.prefix}`}>
                    {token.prefix}…
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formatDateTime(token.createdAt)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{token.expiresAt ? formatDateTime(token.expiresAt) : 'Never'}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={token.lastUsedAt ? undefined : 'dimmed'}>
                    {token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'Never used'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={status} />
                </Table.Td>
                <Table.Td>
                  {status !== 'revoked' && (
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Revoke ${token.name}`}
                      onClick={() => onRevoke(token)}
                    >
                      Revoke
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
