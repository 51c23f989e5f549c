import { PageHeader } from '../../../components/page-header';
import { EmptyState } from '../../../components/empty-state';

export function TemplatesPage() {
  return (
    <>
      <PageHeader title="Templates" description="Templates are Terraform modules synced from a directory or git repository." />
      <EmptyState title="Coming soon" description="This part of Amnify Deploy is not built yet." />
    </>
  );
}
