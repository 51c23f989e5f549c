import { Button, Center } from '@mantine/core';

interface LoadMoreProps {
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
}

/** The "Load more" button under a cursor-paginated list; renders nothing on the last page. */
export function LoadMore({ hasMore, loading, onLoadMore }: LoadMoreProps) {
  if (!hasMore) return null;
  return (
    <Center mt="md">
      <Button variant="default" onClick={onLoadMore} loading={loading}>
        Load more
      </Button>
    </Center>
  );
}
