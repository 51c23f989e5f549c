import { useParams } from 'react-router';
import type { components } from '../api/schema';

type CloudProviderId = components['schemas']['CloudProvider'];

/** The cloud provider of the current route (`/:provider/...`); the layout has already checked it exists. */
export function useProviderParam(): CloudProviderId {
  const { provider } = useParams();
  if (!provider) throw new Error('useProviderParam is used outside a /:provider route');
  return provider as CloudProviderId;
}
