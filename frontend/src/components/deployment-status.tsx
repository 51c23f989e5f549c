import { Badge, Group, Tooltip } from '@mantine/core';
import { StatusBadge } from './status-badge';

/** A deployment's status, with "Changes not applied" when its variables changed since its last successful apply. */
export function DeploymentStatusBadges({ status, changesNotApplied }: { status: string; changesNotApplied: boolean }) {
  return (
    <Group gap={4} wrap="wrap">
      <StatusBadge status={status} />
      {changesNotApplied && (
        <Tooltip label="Its variables changed since the last successful apply: run it to apply them." withArrow>
          {/* Light, like the status badges: the outline variant is too faint on a striped row (axe colour contrast). */}
          <Badge color="orange" variant="light" tt="none" tabIndex={0}>
            Changes not applied
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}
