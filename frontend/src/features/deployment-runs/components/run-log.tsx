import { Box, ScrollArea, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';

interface RunLogProps {
  lines: string[];
  /** Said when there are no lines yet. */
  emptyText: string;
}

/** How close to the end counts as "at the bottom", in pixels. */
const BOTTOM_SLACK = 24;

/** The run's log in a monospace box that follows new lines, unless the user scrolled up to read. */
export function RunLog({ lines, emptyText }: RunLogProps) {
  const viewport = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  useEffect(() => {
    const element = viewport.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [lines]);

  return (
    <ScrollArea
      h={420}
      type="auto"
      viewportRef={viewport}
      // A scrolling region keyboard users can reach and scroll.
      viewportProps={{ tabIndex: 0 }}
      onScrollPositionChange={({ y }) => {
        const element = viewport.current;
        if (element) following.current = element.scrollHeight - element.clientHeight - y <= BOTTOM_SLACK;
      }}
      bg="dark.8"
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
    >
      <Box
        component="pre"
        role="log"
        aria-label="Run log"
        m={0}
        p="sm"
        c="gray.2"
        ff="monospace"
        fz="xs"
        style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
      >
        {lines.length > 0 ? (
          lines.join('\n')
        ) : (
          <Text span c="gray.5" fz="xs" ff="monospace">
            {emptyText}
          </Text>
        )}
      </Box>
    </ScrollArea>
  );
}
