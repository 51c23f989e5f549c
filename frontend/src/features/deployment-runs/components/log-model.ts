import type { LogLine } from '../api/use-run-events';

/** Terraform's errors (`Error: …`, also inside its `│` box), timeouts and failed commands. */
const ERROR_LINE = /^(│\s*)?(Error|error)(:|\s\S+:)|^(│\s*)?Error$|timed out after|^\S+ exited with code [1-9]/;

export function isErrorLine(text: string): boolean {
  return ERROR_LINE.test(text);
}

/** A phase of the log, from one `$ terraform <command>` line the engine wrote (its phase marker) to the next. */
export interface LogSection {
  /** Unique within the log: `start`, `init`, `plan`, `plan-2`, `apply`… */
  id: string;
  title: string;
  /** Index of the section's first line (its marker, except for `start`) and one past its last. */
  start: number;
  end: number;
  errors: number;
}

const MARKER = /^\$ \S*(?:terraform|tofu) (\S+)/;

const TITLES: Record<string, string> = { init: 'Init', plan: 'Plan', apply: 'Apply', show: 'Show' };

/** The log cut into its phases; lines before the first command form a `start` section (the attempt's header). */
export function logSections(lines: readonly LogLine[]): LogSection[] {
  const sections: LogSection[] = [];
  const seen = new Map<string, number>();
  let current: LogSection | null = null;
  lines.forEach((line, index) => {
    // Terraform's own output never starts a phase, however it is worded.
    const command = line.source === 'terraform' ? undefined : MARKER.exec(line.text)?.[1];
    if (command || current === null) {
      if (current) current.end = index;
      const key = command ?? 'start';
      const count = (seen.get(key) ?? 0) + 1;
      seen.set(key, count);
      const base = command ? (TITLES[command] ?? command) : 'Start';
      current = {
        id: count > 1 ? `${key}-${count}` : key,
        title: count > 1 ? `${base} (${count})` : base,
        start: index,
        end: index + 1,
        errors: 0,
      };
      sections.push(current);
    }
    current.end = index + 1;
    if (isErrorLine(line.text)) current.errors += 1;
  });
  return sections;
}

/** The indexes of the lines holding `query`, ignoring case; none for an empty query. */
export function searchLines(lines: readonly LogLine[], query: string): number[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [];
  const found: number[] = [];
  lines.forEach((line, index) => {
    if (line.text.toLowerCase().includes(needle)) found.push(index);
  });
  return found;
}

/** `text` cut around each (case-insensitive) occurrence of `query`, for highlighting the matches. */
export function splitMatches(text: string, query: string): { text: string; match: boolean }[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [{ text, match: false }];
  const parts: { text: string; match: boolean }[] = [];
  const lower = text.toLowerCase();
  let from = 0;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
    if (at > from) parts.push({ text: text.slice(from, at), match: false });
    parts.push({ text: text.slice(at, at + needle.length), match: true });
    from = at + needle.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), match: false });
  return parts;
}

/** The log as a file: one line each, prefixed with its time where known. */
export function logFileText(lines: readonly LogLine[]): string {
  return lines.map((line) => (line.at ? `${line.at} ${line.text}` : line.text)).join('\n') + '\n';
}

/** A line's time of day to the second (local time), for the log's gutter. */
export function lineTime(at: string | undefined): string {
  if (!at) return '';
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString(undefined, { hour12: false });
}
