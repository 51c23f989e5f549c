import { PageHeader } from '../../../components/page-header';
import { EmptyState } from '../../../components/empty-state';

export function DeploymentsPage() {
  return (
    <>
      <PageHeader title="Deployments" description="Deployments combine a template, a cloud environment and variable values inside a project." />
      <EmptyState title="Coming soon" description="This part of Amnify Deploy is not built yet." />
    </>
  );
}
