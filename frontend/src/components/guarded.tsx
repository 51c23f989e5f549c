import { Tooltip } from '@mantine/core';
import { cloneElement, type MouseEvent, type ReactElement } from 'react';

/** How a control shows to the current user; `useCan()` of features/access/api gives one per action. */
export interface GuardPermission {
  allowed: boolean;
  /** Show it, disabled, when not allowed. */
  visible: boolean;
  /** Why it is disabled, e.g. "Needs the admin role". */
  reason: string;
}

interface GuardedProps {
  permission: GuardPermission;
  /** One button (or a Button rendered as a link). */
  children: ReactElement;
}

/**
 * Renders an action's button as it is when allowed; otherwise hides it, or shows it disabled with a tooltip saying
 * which role is needed. The button stays focusable (`aria-disabled`, not `disabled`) so keyboard users reach the reason.
 */
export function Guarded({ permission, children }: GuardedProps) {
  if (permission.allowed) return children;
  if (!permission.visible) return null;
  return (
    <Tooltip label={permission.reason} withArrow>
      {cloneElement(children as ReactElement<Record<string, unknown>>, {
        'data-disabled': true,
        'aria-disabled': true,
        // A link-button must not navigate either (react-router's Link honours preventDefault).
        onClick: (event: MouseEvent) => event.preventDefault(),
        loading: undefined,
      })}
    </Tooltip>
  );
}
