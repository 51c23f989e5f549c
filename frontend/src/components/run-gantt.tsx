import { Box, Group, Stack, Text, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatMs, type PhaseKind } from '../lib/run-phases';

export interface GanttSegment {
  label: string;
  kind: PhaseKind;
  start: number;
  end: number;
}

export interface GanttRow {
  id: string;
  label: ReactNode;
  segments: GanttSegment[];
}

const PHASE_COLORS: Record<PhaseKind, string> = {
  queue: 'var(--mantine-color-gray-5)',
  machine: 'var(--mantine-color-blue-6)',
  people: 'var(--mantine-color-yellow-5)',
};

const KIND_NAMES: Record<PhaseKind, string> = { queue: 'queued', machine: 'machine time', people: 'waiting for people' };

/**
 * A compact timeline: one bar per row (a pipeline's steps), on one time scale, a segment per phase coloured by who it
 * waited on. Hovering a segment names it and its duration; screen readers get the same as text.
 */
export function RunGantt({ rows, label }: { rows: GanttRow[]; label: string }) {
  const segments = rows.flatMap((row) => row.segments);
  if (segments.length === 0) return null;
  const from = Math.min(...segments.map((s) => s.start));
  const to = Math.max(...segments.map((s) => s.end));
  const span = Math.max(1, to - from);

  return (
    <Stack gap={6} role="group" aria-label={label}>
      {rows.map((row) => (
        <Box key={row.id} style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: 8 }}>
          <Text size="xs" style={{ flex: '0 1 180px', minWidth: 0, overflowWrap: 'anywhere' }}>
            {row.label}
          </Text>
          <Box
            data-gantt-row={row.id}
            style={{ position: 'relative', flex: '1 1 200px', height: 12, background: 'var(--mantine-color-default-hover)', borderRadius: 3 }}
          >
            {row.segments.map((segment, index) => (
              <span
                key={index}
                data-kind={segment.kind}
                title={`${segment.label} · ${formatMs(segment.end - segment.start)}`}
                style={{
                  position: 'absolute',
                  top: 0,
                  bottom: 0,
                  left: `${((segment.start - from) / span) * 100}%`,
                  width: `max(2px, ${((segment.end - segment.start) / span) * 100}%)`,
                  background: PHASE_COLORS[segment.kind],
                }}
              />
            ))}
            <VisuallyHidden>
              {row.segments.map((segment) => `${segment.label} ${formatMs(segment.end - segment.start)}`).join(', ') || 'Not started'}
            </VisuallyHidden>
          </Box>
        </Box>
      ))}
      <Group gap="md" aria-hidden>
        {(Object.keys(PHASE_COLORS) as PhaseKind[]).map((kind) => (
          <Group key={kind} gap={4}>
            <span style={{ width: 10, height: 10, borderRadius: 2, background: PHASE_COLORS[kind], display: 'inline-block' }} />
            <Text size="xs" c="dimmed">
              {KIND_NAMES[kind]}
            </Text>
          </Group>
        ))}
      </Group>
    </Stack>
  );
}
