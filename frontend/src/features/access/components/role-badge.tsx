import { Badge, type MantineColor } from '@mantine/core';
import type { Role } from '../api/me-queries';
import { roleLabels } from '../api/permissions';

const roleColors: Record<Role, MantineColor> = { viewer: 'gray', operator: 'blue', approver: 'grape', admin: 'red' };

export function RoleBadge({ role }: { role: Role | null | undefined }) {
  return (
    <Badge component="span" color={role ? roleColors[role] : 'gray'} variant="light" tt="none">
      {role ? roleLabels[role] : 'No role'}
    </Badge>
  );
}
