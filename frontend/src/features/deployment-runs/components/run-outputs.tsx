import { Badge, Code, Table, Text } from '@mantine/core';
import type { DeploymentRun } from '../api/run-queries';

type Outputs = NonNullable<DeploymentRun['outputs']>;

/** `terraform output`: each value, or "sensitive" for one Terraform marks sensitive. */
export function RunOutputs({ outputs }: { outputs: Outputs }) {
  const names = Object.keys(outputs).sort();
  if (names.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        The template has no outputs.
      </Text>
    );
  }
  return (
    <Table withTableBorder aria-label="Outputs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Output</Table.Th>
          <Table.Th>Value</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {names.map((name) => {
          const output = outputs[name]!;
          return (
            <Table.Tr key={name}>
              <Table.Td>
                <Text ff="monospace" size="sm">
                  {name}
                </Text>
              </Table.Td>
              <Table.Td>
                {output.sensitive ? (
                  <Badge color="gray" variant="light" tt="none">
                    sensitive
                  </Badge>
                ) : typeof output.value === 'object' && output.value !== null ? (
                  <Code block>{JSON.stringify(output.value, null, 2)}</Code>
                ) : (
                  <Text ff="monospace" size="sm">
                    {String(output.value)}
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
