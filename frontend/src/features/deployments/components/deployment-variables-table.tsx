import { Badge, Code, Table, Text } from '@mantine/core';
import type { Deployment } from '../api/deployment-queries';
import { displayValue } from './variable-values';

/** The stored values; a sensitive variable is listed as "set", its value is never shown (nor sent by the API). */
export function DeploymentVariablesTable({ deployment }: { deployment: Deployment }) {
  const sensitive = new Set(deployment.sensitiveVariables);
  const names = [...new Set([...Object.keys(deployment.variables), ...deployment.sensitiveVariables])].sort();
  if (names.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No values set: the template's defaults apply.
      </Text>
    );
  }
  return (
    <Table withTableBorder aria-label="Variables">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Variable</Table.Th>
          <Table.Th>Value</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {names.map((name) => {
          const value = deployment.variables[name];
          return (
            <Table.Tr key={name}>
              <Table.Td>
                <Text ff="monospace" size="sm">
                  {name}
                </Text>
              </Table.Td>
              <Table.Td>
                {sensitive.has(name) ? (
                  <Badge color="green" variant="light" tt="none" title={`${name} is set; its value is never shown`}>
                    set
                  </Badge>
                ) : typeof value === 'object' && value !== null ? (
                  <Code block>{JSON.stringify(value, null, 2)}</Code>
                ) : (
                  <Text size="sm" ff="monospace">
                    {displayValue(value)}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
