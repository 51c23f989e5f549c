import { describe, expect, it } from 'vitest';
import { isErrorLine, logFileText, logSections, searchLines, splitMatches } from './log-model';

const log = [
  'Run 0193a1b2-0000-7000-8000-000000000001 (execute), attempt on worker w1',
  '$ terraform init -input=false -no-color -lock-timeout=60s',
  'Initializing the backend...',
  '$ terraform plan -input=false -no-color -detailed-exitcode -out=plan.tfplan',
  '  + resource "terraform_data" "network" {',
  'Error: Invalid value for variable',
  '│ Error: Unsupported argument',
  'Plan: 1 to add, 0 to change, 0 to destroy, 0 to replace. Waiting for plan approval.',
  '$ terraform plan -input=false -no-color',
  'Plan: 1 to add, 0 to change, 0 to destroy.',
].map((text) => ({ text }));

describe('log model', () => {
  it('cuts the log into phases at each terraform command, numbering a phase run twice', () => {
    const sections = logSections(log);

    expect(sections.map((s) => [s.id, s.title, s.start, s.end])).toEqual([
      ['start', 'Start', 0, 1],
      ['init', 'Init', 1, 3],
      ['plan', 'Plan', 3, 8],
      ['plan-2', 'Plan (2)', 8, 10],
    ]);
    expect(sections[2]!.errors).toBe(2);
  });

  it('makes one section of a log with no command in it', () => {
    expect(logSections([{ text: 'a' }, { text: 'b' }])).toEqual([{ id: 'start', title: 'Start', start: 0, end: 2, errors: 0 }]);
  });

  it("starts no phase at a line Terraform wrote, however it is worded", () => {
    const sections = logSections([
      { text: '$ terraform plan -no-color', source: 'engine' },
      { text: '$ terraform apply (quoted by a local-exec)', source: 'terraform' },
    ]);

    expect(sections.map((s) => s.id)).toEqual(['plan']);
  });

  it("marks Terraform's error lines, boxed or not, and nothing else", () => {
    expect(log.map((l) => isErrorLine(l.text))).toEqual([false, false, false, false, false, true, true, false, false, false]);
  });

  it('finds the lines holding the query ignoring case, and none for a blank query', () => {
    expect(searchLines(log, 'ERROR')).toEqual([5, 6]);
    expect(searchLines(log, '   ')).toEqual([]);
  });

  it('cuts a line around each match for highlighting', () => {
    expect(splitMatches('plan and Plan', 'plan')).toEqual([
      { text: 'plan', match: true },
      { text: ' and ', match: false },
      { text: 'Plan', match: true },
    ]);
  });

  it('writes the downloaded file one line each, with its time where known', () => {
    expect(logFileText([{ text: 'a', at: '2026-12-01T10:00:00Z' }, { text: 'b' }])).toBe('2026-12-01T10:00:00Z a\nb\n');
  });
});
