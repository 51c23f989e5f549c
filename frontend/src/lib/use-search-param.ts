import { useEffect, useState } from 'react';
import { useDebouncedValue } from '@mantine/hooks';
import { useSearchParams } from 'react-router';

/**
 * A text input's value kept in a URL search param (default `q`), written after the user stops typing.
 * Returns the immediate input value, its setter and the debounced value to query with.
 */
export function useDebouncedSearchParam(name = 'q', delay = 300) {
  const [searchParams, setSearchParams] = useSearchParams();
  const fromUrl = searchParams.get(name) ?? '';
  const [value, setValue] = useState(fromUrl);
  const [debounced] = useDebouncedValue(value.trim(), delay);

  useEffect(() => {
    setSearchParams(
      (previous) => {
        if ((previous.get(name) ?? '') === debounced) return previous;
        const next = new URLSearchParams(previous);
        if (debounced) next.set(name, debounced);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  }, [debounced, name, setSearchParams]);

  return { value, setValue, query: fromUrl } as const;
}
