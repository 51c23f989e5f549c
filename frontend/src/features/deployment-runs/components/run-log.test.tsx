import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithApp } from '../../../test/render';
import type { LogLine } from '../api/use-run-events';
import { RunLog } from './run-log';

const lines = [
  'Run 0193a1b2-0000-7000-8000-000000000001 (execute), attempt on worker w1',
  '$ terraform init -input=false -no-color',
  'Initializing the backend...',
  '$ terraform plan -input=false -no-color -out=plan.tfplan',
  'needle one',
  'Error: something broke',
  'needle two',
].map((text, i) => ({ text, at: `2026-12-01T10:00:0${i}Z`, source: i === 0 || text.startsWith('$ ') ? ('engine' as const) : ('terraform' as const) }));

function renderLog(log: LogLine[] = lines) {
  return renderWithApp(<RunLog lines={log} emptyText="Nothing yet." fileName="run-1.log" />);
}

describe('RunLog', () => {
  it('shows each phase as a section that collapses and opens again', async () => {
    const { user } = renderLog();
    const log = screen.getByRole('log', { name: 'Run log' });
    const init = within(log).getByRole('button', { name: /Init · 2 lines/ });
    expect(init).toHaveAttribute('aria-expanded', 'true');

    await user.click(init);

    expect(init).toHaveAttribute('aria-expanded', 'false');
    expect(log).not.toHaveTextContent('Initializing the backend');
    await user.click(init);
    expect(log).toHaveTextContent('Initializing the backend');
  });

  it('counts the errors of a section in its header and marks the error line', () => {
    renderLog();
    const log = screen.getByRole('log', { name: 'Run log' });

    expect(within(log).getByRole('button', { name: /Plan · 4 lines · 1 error/ })).toBeInTheDocument();
    expect(log.querySelector('[data-line="6"]')).toHaveAttribute('data-error', 'true');
    expect(log.querySelector('[data-line="5"]')).not.toHaveAttribute('data-error');
  });

  it("marks the product's own lines apart from Terraform's, as the server marks them", () => {
    renderLog([...lines, { text: 'Run 0193a1b2-0000-7000-8000-000000000002 (execute), attempt on worker w2', source: 'terraform' }]);
    const log = screen.getByRole('log', { name: 'Run log' });

    expect(log.querySelector('[data-line="1"]')).toHaveAttribute('data-source', 'engine');
    expect(log.querySelector('[data-line="3"]')).toHaveAttribute('data-source', 'terraform');
    // Worded like the engine's, but Terraform printed it: not the product's.
    expect(log.querySelector('[data-line="8"]')).toHaveAttribute('data-source', 'terraform');
    expect(within(log.querySelector<HTMLElement>('[data-line="1"]')!).getByText('Amnify:')).toBeInTheDocument();
  });

  it('highlights every match and steps through them, opening a collapsed section to show one', async () => {
    const { user } = renderLog();
    const log = screen.getByRole('log', { name: 'Run log' });
    await user.click(within(log).getByRole('button', { name: /Plan ·/ }));

    await user.type(screen.getByRole('textbox', { name: 'Search the log' }), 'needle');
    expect(screen.getByText('1 of 2')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Next match' }));

    expect(screen.getByText('2 of 2')).toBeInTheDocument();
    expect(within(log).getByRole('button', { name: /Plan ·/ })).toHaveAttribute('aria-expanded', 'true');
    const marks = log.querySelectorAll('mark');
    expect([...marks].map((m) => m.textContent)).toEqual(['needle', 'needle']);
    expect(log.querySelector('mark[data-current]')?.closest('[data-line]')).toHaveAttribute('data-line', '7');
    await user.keyboard('{Shift>}{Enter}{/Shift}');
    expect(screen.getByText('1 of 2')).toBeInTheDocument();
  });

  it('says when nothing matches', async () => {
    const { user } = renderLog();

    await user.type(screen.getByRole('textbox', { name: 'Search the log' }), 'absent');

    expect(screen.getByText('No matches')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next match' })).toBeDisabled();
  });

  it('shows each line’s time when the log carries it, and hides them on request', async () => {
    const { user } = renderLog();
    const log = screen.getByRole('log', { name: 'Run log' });
    const time = new Date('2026-12-01T10:00:02Z').toLocaleTimeString(undefined, { hour12: false });
    expect(log.querySelector('[data-line="3"]')).toHaveTextContent(time);

    await user.click(screen.getByRole('switch', { name: 'Times' }));

    expect(log.querySelector('[data-line="3"]')).not.toHaveTextContent(time);
  });

  it('downloads the whole log as a text file', async () => {
    const createObjectURL = vi.fn<(blob: Blob) => string>(() => 'blob:log');
    const revokeObjectURL = vi.fn();
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const { user } = renderLog();

    await user.click(screen.getByRole('button', { name: 'Download log' }));

    expect(click).toHaveBeenCalledOnce();
    const blob = createObjectURL.mock.calls[0]![0];
    expect(await blob.text()).toContain('2026-12-01T10:00:05Z Error: something broke\n');
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:log');
    click.mockRestore();
  });

  it('draws only the rows in view of a 10,000-line log, quickly', () => {
    const big = Array.from({ length: 10_000 }, (_, i) => ({ text: `line ${i + 1}` }));
    const started = performance.now();
    renderLog(big);
    const took = performance.now() - started;
    const log = screen.getByRole('log', { name: 'Run log' });

    expect(log.querySelectorAll('[data-line]').length).toBeLessThan(200);
    // Following the end: the last line is drawn.
    expect(log.querySelector('[data-line="10000"]')).not.toBeNull();
    console.info(`RunLog: 10,000 lines rendered in ${took.toFixed(0)} ms`);
    expect(took).toBeLessThan(2_000);
  });

  it('says so while there are no lines', () => {
    renderLog([]);
    expect(screen.getByRole('log', { name: 'Run log' })).toHaveTextContent('Nothing yet.');
  });
});
