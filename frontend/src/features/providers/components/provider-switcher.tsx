import { NativeSelect } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useLocation, useNavigate } from 'react-router';
import { providerQueries, type CloudProviderId } from '../api/provider-queries';

/** Header control that moves the current page to another cloud provider (`/aws/projects` → `/gcp/projects`). */
export function ProviderSwitcher({ current }: { current: CloudProviderId }) {
  const providers = useQuery(providerQueries.list());
  const navigate = useNavigate();
  const { pathname } = useLocation();

  const section = pathname.split('/')[2] ?? '';
  const data = (providers.data ?? []).map((p) => ({ value: p.id, label: p.displayName }));

  return (
    // A native select: keyboard- and screen-reader-friendly, and keeps the dropdown machinery out of the first load.
    <NativeSelect
      aria-label="Cloud provider"
      data={data.length > 0 ? data : [{ value: current, label: current.toUpperCase() }]}
      value={current}
      onChange={(event) => {
        const value = event.currentTarget.value;
        if (value && value !== current) void navigate(`/${value}/${section}`);
      }}
      w={{ base: '100%', sm: 220 }}
      size="sm"
    />
  );
}
