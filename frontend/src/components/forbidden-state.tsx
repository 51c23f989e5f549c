import { EmptyState } from './empty-state';

/** Instead of a page the signed-in user's role may not use (the API would answer 403). */
export function ForbiddenState({ role, what = 'This page' }: { role: string; what?: string }) {
  return <EmptyState title="Not available with your role" description={`${what} needs the ${role} role.`} />;
}
