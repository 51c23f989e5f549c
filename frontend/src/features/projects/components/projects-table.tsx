import { Anchor, Badge, Button, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import { Guarded, type GuardPermission } from '../../../components/guarded';
import { projectHref } from '../../../lib/area-links';
import { formatDateTime } from '../../../lib/format';
import type { Project } from '../api/project-queries';

interface ProjectsTableProps {
  projects: Project[];
  /** Whether the user may edit and delete projects. */
  editing: GuardPermission;
  onEdit: (project: Project) => void;
  onDelete: (project: Project) => void;
}

export function ProjectsTable({ projects, editing, onEdit, onDelete }: ProjectsTableProps) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover verticalSpacing="sm" aria-label="Projects">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Description</Table.Th>
            <Table.Th>Tags</Table.Th>
            <Table.Th>Updated</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {projects.map((project) => (
            <Table.Tr key={project.id}>
              <Table.Td>
                <Anchor component={Link} to={projectHref(project.provider, project.id)} fw={500}>
                  {project.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={project.description ? undefined : 'dimmed'} lineClamp={2}>
                  {project.description || '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {(project.tags ?? []).map((tag) => (
                    <Badge key={tag} variant="outline" tt="none">
                      {tag}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(project.updatedAt)}</Text>
              </Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <Guarded permission={editing}>
                    <Button size="xs" variant="subtle" aria-label={`Edit ${project.name}`} onClick={() => onEdit(project)}>
                      Edit
                    </Button>
                  </Guarded>
                  <Guarded permission={editing}>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Delete ${project.name}`}
                      onClick={() => onDelete(project)}
                    >
                      Delete
                    </Button>
                  </Guarded>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
