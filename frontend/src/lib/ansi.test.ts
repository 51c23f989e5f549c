import { describe, expect, it } from 'vitest';
import { stripAnsi } from './ansi';

describe('stripAnsi', () => {
  it('removes colours, bold and resets', () => {
    expect(stripAnsi('\u001b[1m\u001b[32mApply complete!\u001b[0m Resources: 1 added.')).toBe(
      'Apply complete! Resources: 1 added.',
    );
  });

  it('removes cursor moves, window titles and carriage returns, and keeps plain text as it is', () => {
    expect(stripAnsi('\u001b[2K\u001b[1Gline\r')).toBe('line');
    expect(stripAnsi('\u001b]0;title\u0007text')).toBe('text');
    expect(stripAnsi('  # terraform_data.network will be created')).toBe('  # terraform_data.network will be created');
  });
});
