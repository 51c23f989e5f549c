/**
 * After an action (approve, cancel) changed what can be done next, moves focus to the next action — the first
 * enabled control marked `data-next-action` — or else to the page's heading, so keyboard users carry on from there
 * instead of falling back to the top of the page. Waits a frame for the page to show the new state.
 */
export function focusNextAction() {
  requestAnimationFrame(() => {
    const next = document.querySelector<HTMLElement>(
      '[data-next-action]:not([disabled]):not([data-disabled]):not([data-loading])',
    );
    (next ?? document.querySelector<HTMLElement>('h1'))?.focus();
  });
}
