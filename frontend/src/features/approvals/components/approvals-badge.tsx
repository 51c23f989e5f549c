import { Badge, Button, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { approvalQueries } from '../api/approval-queries';

/** The header's way to the inbox, with how many gates await the signed-in user (live: the inbox polls). */
export function ApprovalsBadge({ provider }: { provider: string }) {
  const inbox = useQuery(approvalQueries.inbox(provider));
  const count = inbox.data?.items.length ?? 0;
  const more = inbox.data?.nextCursor ? '+' : '';
  return (
    <Button
      component={Link}
      to={`/${provider}/approvals`}
      variant="subtle"
      size="compact-sm"
      rightSection={
        count > 0 ? (
          <Badge size="sm" circle={count < 10} color="yellow" variant="filled" data-testid="approvals-count">
            {`${count}${more}`}
          </Badge>
        ) : undefined
      }
    >
      {/* Named by what it shows (axe: the accessible name must contain the visible text). */}
      Approvals
      <VisuallyHidden>{`: ${count}${more} awaiting my approval`}</VisuallyHidden>
    </Button>
  );
}
