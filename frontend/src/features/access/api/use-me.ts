import { useQuery } from '@tanstack/react-query';
import { meQueries } from './me-queries';

/** The signed-in user (the app layout has loaded it before any page renders). */
export function useMe() {
  return useQuery(meQueries.me());
}
