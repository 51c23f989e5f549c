import { Text } from '@mantine/core';

/** `12/200` inside a field that has a length limit, so the limit is seen before the server refuses the text. */
export function LengthCounter({ value, max }: { value: string; max: number }) {
  return (
    <Text size="xs" c="dimmed" aria-hidden="true" style={{ whiteSpace: 'nowrap' }}>
      {`${value.length}/${max}`}
    </Text>
  );
}
