import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { DeploymentStatusBadges } from '../../../components/deployment-status';
import type { Deployment } from '../api/deployment-queries';
import { Timestamp } from '../../../components/timestamp';
import { projectHref, templateHref } from '../../../lib/area-links';

interface DeploymentsTableProps {
  provider: string;
  deployments: Deployment[];
}

export function DeploymentsTable({ provider, deployments }: DeploymentsTableProps) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover verticalSpacing="sm" aria-label="Deployments">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Project</Table.Th>
            <Table.Th>Template</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Updated</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {deployments.map((deployment) => (
            <Table.Tr key={deployment.id}>
              <Table.Td>
                <Anchor component={Link} to={`/${provider}/deployments/${deployment.id}`} fw={500}>
                  {deployment.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Anchor component={Link} to={projectHref(provider, deployment.projectId)} size="sm">
                  {deployment.projectName}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Anchor component={Link} to={templateHref(provider, deployment.templateId)} size="sm">
                  {deployment.templateName}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <DeploymentStatusBadges status={deployment.status} changesNotApplied={deployment.changesNotApplied} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  <Timestamp iso={deployment.updatedAt} />
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
