import { Badge, type MantineColor } from '@mantine/core';
import { humaniseStatus } from '../lib/format';

const colors: Record<string, MantineColor> = {
  completed: 'green',
  delivered: 'green',
  deployed: 'green',
  noChanges: 'teal',
  skipped: 'teal',
  set: 'green',
  running: 'blue',
  applying: 'blue',
  destroying: 'blue',
  planning: 'blue',
  initializing: 'blue',
  queued: 'gray',
  pending: 'gray',
  notRun: 'gray',
  neverDeployed: 'gray',
  destroyed: 'gray',
  awaitingApproval: 'yellow',
  awaitingPlanApproval: 'yellow',
  awaitingApplyApproval: 'yellow',
  needsConfiguration: 'orange',
  cancelled: 'orange',
  failed: 'red',
  rejected: 'red',
  interrupted: 'red',
  active: 'green',
  expired: 'orange',
  revoked: 'gray',
  disabled: 'gray',
};

interface StatusBadgeProps {
  status: string;
  /** Overrides the text; defaults to the humanised status. */
  label?: string;
}

export function StatusBadge({ status, label }: StatusBadgeProps) {
  return (
    <Badge color={colors[status] ?? 'gray'} variant="light" tt="none">
      {label ?? humaniseStatus(status)}
    </Badge>
  );
}
