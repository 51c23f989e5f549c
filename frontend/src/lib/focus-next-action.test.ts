import { afterEach, describe, expect, it } from 'vitest';
import { focusNextAction } from './focus-next-action';

const frames = (n: number) =>
  new Promise<void>((resolve) => {
    const step = (left: number) => (left === 0 ? resolve() : requestAnimationFrame(() => step(left - 1)));
    step(n);
  });

describe('focusNextAction', () => {
  afterEach(() => document.body.replaceChildren());

  it('focuses the next action once the page shows it, even a few frames after the answer', async () => {
    document.body.innerHTML = '<h1 tabindex="-1">Run</h1><button data-next-action data-loading>Approve Plan</button>';
    focusNextAction();
    await frames(3);
    document.body.innerHTML = '<h1 tabindex="-1">Run</h1><button data-next-action>Approve Apply</button>';
    await frames(3);

    expect(document.activeElement).toHaveTextContent('Approve Apply');
  });

  it('falls back to the page heading when no next action appears', async () => {
    document.body.innerHTML = '<h1 tabindex="-1">Run</h1><button disabled data-next-action>Approve Apply</button>';
    focusNextAction();
    await new Promise((resolve) => setTimeout(resolve, 700));
    await frames(2);

    expect(document.activeElement).toHaveTextContent('Run');
  });
});
