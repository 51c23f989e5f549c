import { Button } from '@mantine/core';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/empty-state';

export function DeploymentNotFound({ provider }: { provider: string }) {
  return (
    <EmptyState
      title="Deployment not found"
      description="There is no deployment with this id; it may have been deleted."
      action={
        <Button component={Link} to={`/${provider}/deployments`}>
          Go to deployments
        </Button>
      }
    />
  );
}
