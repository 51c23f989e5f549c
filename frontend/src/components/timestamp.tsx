import { formatDateTime, formatFullDateTime } from '../lib/format';

/** A point in time to the second, with the full date and time zone on hover; `—` when there is none. */
export function Timestamp({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <>—</>;
  return (
    <time dateTime={iso} title={formatFullDateTime(iso)}>
      {formatDateTime(iso)}
    </time>
  );
}
