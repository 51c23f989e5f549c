import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDuration, formatFullDateTime } from './format';

describe('formatDateTime', () => {
  it('shows the time to the second', () => {
    const iso = '2026-11-22T10:04:07Z';
    const seconds = String(new Date(iso).getSeconds()).padStart(2, '0');
    expect(formatDateTime(iso)).toMatch(new RegExp(`:${seconds}\\b`));
  });

  it('shows a dash for no time and the raw text for one that does not parse', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('soon')).toBe('soon');
  });

  it('spells the full date out for tooltips, with the year', () => {
    expect(formatFullDateTime('2026-11-22T10:04:07Z')).toContain('2026');
  });
});

describe('formatDuration', () => {
  it.each([
    ['2026-11-22T10:00:00Z', '2026-11-22T10:00:04Z', '4s'],
    ['2026-11-22T10:00:00Z', '2026-11-22T10:02:05Z', '2m 05s'],
    ['2026-11-22T10:00:00Z', '2026-11-22T11:03:00Z', '1h 03m'],
    ['2026-11-22T10:00:05Z', '2026-11-22T10:00:00Z', '—'],
  ])('%s → %s is %s', (start, end, expected) => {
    expect(formatDuration(start, end)).toBe(expected);
  });
});
