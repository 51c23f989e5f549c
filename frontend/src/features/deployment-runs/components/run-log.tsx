import { ActionIcon, Box, Button, Group, Switch, Text, TextInput, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import {
  isErrorLine,
  lineTime,
  logFileText,
  logSections,
  searchLines,
  splitMatches,
  type LogSection,
} from './log-model';
import type { LogLine } from '../api/use-run-events';

interface RunLogProps {
  lines: LogLine[];
  /** Said when there are no lines yet. */
  emptyText: string;
  /** The downloaded file's name. */
  fileName: string;
}

/** Every row has the same height (lines do not wrap; the box scrolls sideways), so only the visible rows are drawn. */
export const ROW_HEIGHT = 20;
const VIEWPORT_HEIGHT = 480;
/** Rows drawn above and below the visible ones, so a fast scroll shows no gap. */
const OVERSCAN = 30;
/** How close to the end counts as "at the bottom", in pixels. */
const BOTTOM_SLACK = 24;

type Row = { kind: 'section'; section: LogSection; collapsed: boolean } | { kind: 'line'; index: number };

function buildRows(sections: LogSection[], collapsed: ReadonlySet<string>): Row[] {
  const rows: Row[] = [];
  // A log without phases (e.g. one that failed before init) is shown as it is, without a lone "Start" header.
  const headed = sections.length > 1;
  for (const section of sections) {
    const isCollapsed = headed && collapsed.has(section.id);
    if (headed) rows.push({ kind: 'section', section, collapsed: isCollapsed });
    if (!isCollapsed) for (let index = section.start; index < section.end; index++) rows.push({ kind: 'line', index });
  }
  return rows;
}

/**
 * The run's log: its phases (init, plan, apply) collapsible, search with every match highlighted and next/previous,
 * error lines and the product's own lines marked, line times, download. Only the rows in view are drawn, so ten
 * thousand lines stay fast; it follows new lines unless the reader scrolled up.
 */
export function RunLog({ lines, emptyText, fileName }: RunLogProps) {
  const viewport = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [scrollTop, setScrollTop] = useState(0);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(0);
  const [showTimes, setShowTimes] = useState(true);

  const sections = useMemo(() => logSections(lines), [lines]);
  const rows = useMemo(() => buildRows(sections, collapsed), [sections, collapsed]);
  const matches = useMemo(() => searchLines(lines, query), [lines, query]);
  const hasTimes = lines.some((line) => line.at);
  const currentLine = matches.length > 0 ? matches[Math.min(current, matches.length - 1)] : undefined;

  const scrollTo = (top: number) => {
    const element = viewport.current;
    if (element) element.scrollTop = top;
    setScrollTop(top);
  };

  useEffect(() => {
    const element = viewport.current;
    if (element && following.current) scrollTo(Math.max(0, rows.length * ROW_HEIGHT - (element.clientHeight || VIEWPORT_HEIGHT)));
  }, [rows.length]);

  /** Shows match number `next` (wrapping around): opens its section and scrolls it to the middle. */
  const goTo = (next: number) => {
    if (matches.length === 0) return;
    const wrapped = (next + matches.length) % matches.length;
    setCurrent(wrapped);
    const line = matches[wrapped];
    const section = sections.find((s) => line >= s.start && line < s.end);
    const opened = section && collapsed.has(section.id) ? new Set([...collapsed].filter((id) => id !== section.id)) : collapsed;
    if (opened !== collapsed) setCollapsed(opened);
    const row = buildRows(sections, opened).findIndex((r) => r.kind === 'line' && r.index === line);
    following.current = false;
    scrollTo(Math.max(0, row * ROW_HEIGHT - VIEWPORT_HEIGHT / 2));
  };

  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    goTo(current + (event.shiftKey ? -1 : 1));
  };

  const toggle = (id: string) =>
    setCollapsed((previous) => {
      const next = new Set(previous);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  const download = () => {
    const url = URL.createObjectURL(new Blob([logFileText(lines)], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.click();
    URL.revokeObjectURL(url);
  };

  const height = viewport.current?.clientHeight || VIEWPORT_HEIGHT;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const gutter = hasTimes && showTimes;

  return (
    <Box>
      <Group gap="xs" mb="xs" wrap="wrap">
        <TextInput
          aria-label="Search the log"
          placeholder="Search the log"
          size="xs"
          w={{ base: '100%', xs: 240 }}
          value={query}
          onChange={(event) => {
            setQuery(event.currentTarget.value);
            setCurrent(0);
          }}
          onKeyDown={onSearchKey}
        />
        <ActionIcon variant="default" aria-label="Previous match" disabled={matches.length === 0} onClick={() => goTo(current - 1)}>
          ↑
        </ActionIcon>
        <ActionIcon variant="default" aria-label="Next match" disabled={matches.length === 0} onClick={() => goTo(current + 1)}>
          ↓
        </ActionIcon>
        <Text size="xs" c="dimmed" aria-live="polite" miw={70}>
          {query.trim() ? (matches.length > 0 ? `${Math.min(current, matches.length - 1) + 1} of ${matches.length}` : 'No matches') : ''}
        </Text>
        <Group gap="xs" ml="auto" wrap="wrap">
          {hasTimes && (
            <Switch size="xs" label="Times" checked={showTimes} onChange={(event) => setShowTimes(event.currentTarget.checked)} />
          )}
          <Button size="xs" variant="default" disabled={lines.length === 0} onClick={download}>
            Download log
          </Button>
        </Group>
      </Group>
      <Box
        ref={viewport}
        role="log"
        aria-label="Run log"
        // A scrolling region keyboard users can reach and scroll.
        tabIndex={0}
        h={VIEWPORT_HEIGHT}
        bg="dark.8"
        c="gray.2"
        ff="monospace"
        fz="xs"
        style={{ overflow: 'auto', borderRadius: 'var(--mantine-radius-sm)', position: 'relative' }}
        onScroll={(event) => {
          const element = event.currentTarget;
          following.current = element.scrollHeight - element.clientHeight - element.scrollTop <= BOTTOM_SLACK;
          setScrollTop(element.scrollTop);
        }}
      >
        {lines.length === 0 ? (
          <Text span c="gray.5" fz="xs" ff="monospace" p="sm" display="block">
            {emptyText}
          </Text>
        ) : (
          <div style={{ height: rows.length * ROW_HEIGHT + 16, position: 'relative', minWidth: 'max-content' }}>
            {rows.slice(first, last).map((row, offset) => {
              const top = (first + offset) * ROW_HEIGHT + 8;
              if (row.kind === 'section') {
                const { section } = row;
                return (
                  <UnstyledButton
                    key={`s-${section.id}`}
                    aria-expanded={!row.collapsed}
                    onClick={() => toggle(section.id)}
                    style={{ position: 'absolute', top, left: 0, right: 0, height: ROW_HEIGHT, padding: '0 12px' }}
                    ff="monospace"
                    fz="xs"
                    fw={700}
                    c="blue.2"
                    bg="dark.6"
                  >
                    {`${row.collapsed ? '▸' : '▾'} ${section.title} · ${section.end - section.start} lines`}
                    {section.errors > 0 ? ` · ${section.errors} error${section.errors === 1 ? '' : 's'}` : ''}
                  </UnstyledButton>
                );
              }
              const line = lines[row.index];
              const error = isErrorLine(line.text);
              const product = line.source === 'engine';
              return (
                <div
                  key={row.index}
                  data-line={row.index + 1}
                  data-error={error || undefined}
                  data-source={line.source}
                  style={{
                    position: 'absolute',
                    top,
                    left: 0,
                    right: 0,
                    height: ROW_HEIGHT,
                    lineHeight: `${ROW_HEIGHT}px`,
                    whiteSpace: 'pre',
                    paddingRight: 12,
                    background: error ? 'rgba(250, 82, 82, 0.18)' : undefined,
                    color: error ? 'var(--mantine-color-red-2)' : product ? 'var(--mantine-color-cyan-2)' : undefined,
                    borderLeft: `3px solid ${product ? 'var(--mantine-color-cyan-5)' : 'transparent'}`,
                  }}
                >
                  {gutter && (
                    <span style={{ display: 'inline-block', width: 80, color: 'var(--mantine-color-gray-5)', userSelect: 'none' }}>
                      {lineTime(line.at)}
                    </span>
                  )}
                  <span style={{ paddingLeft: gutter ? 0 : 9 }}>
                    {product && <VisuallyHidden>Amnify: </VisuallyHidden>}
                    {matches.length > 0
                      ? splitMatches(line.text, query).map((part, i) =>
                          part.match ? (
                            <mark
                              key={i}
                              data-current={row.index === currentLine || undefined}
                              style={{
                                background: row.index === currentLine ? 'var(--mantine-color-orange-4)' : 'var(--mantine-color-yellow-3)',
                                color: 'var(--mantine-color-dark-9)',
                              }}
                            >
                              {part.text}
                            </mark>
                          ) : (
                            part.text
                          ),
                        )
                      : line.text}
                  </span>
                  {/* Copying a selection (and the text of the log) keeps one line per line. */}
                  {row.index < lines.length - 1 && '\n'}
                </div>
              );
            })}
          </div>
        )}
      </Box>
      <Text size="xs" c="dimmed" mt={4}>
        <span style={{ borderLeft: '3px solid var(--mantine-color-cyan-5)', paddingLeft: 4 }}>Amnify&apos;s own lines</span>
        {' · the rest is Terraform’s output'}
      </Text>
    </Box>
  );
}
