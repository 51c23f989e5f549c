const WAIT_MS = 500;
const NEXT_ACTION = '[data-next-action]:not([disabled]):not([data-disabled]):not([data-loading])';

/**
 * After an action (approve, cancel) changed what can be done next, moves focus to the next action — the first
 * enabled control marked `data-next-action` — or else to the page's heading, so keyboard users carry on from there
 * instead of falling back to the top of the page. The page may take a few frames to show the new state (the answer's
 * refetch, the buttons leaving their loading state), so it looks for up to half a second before settling for the heading.
 */
export function focusNextAction() {
  const until = performance.now() + WAIT_MS;
  const attempt = () => {
    const next = document.querySelector<HTMLElement>(NEXT_ACTION);
    if (next) next.focus();
    else if (performance.now() < until) requestAnimationFrame(attempt);
    else document.querySelector<HTMLElement>('h1')?.focus();
  };
  requestAnimationFrame(attempt);
}
