import { PageHeader } from '../../../components/page-header';
import { EmptyState } from '../../../components/empty-state';

export function PipelinesPage() {
  return (
    <>
      <PageHeader title="Pipelines" description="Pipelines run your deployments one after the other, each with its own plan and apply approvals." />
      <EmptyState title="Coming soon" description="This part of Amnify Deploy is not built yet." />
    </>
  );
}
