import { Center, Loader } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { isApiError } from '../../../api/client';
import { ForbiddenState } from '../../../components/forbidden-state';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { useProviderParam } from '../../../lib/use-provider';
import { useCan } from '../../access/api/permissions';
import { templateQueries } from '../../templates/api/template-queries';
import { deploymentQueries } from '../api/deployment-queries';
import { useUpdateDeployment } from '../api/use-update-deployment';
import { DeploymentEditForm } from '../components/deployment-edit-form';
import { DeploymentNotFound } from '../components/deployment-not-found';

export function DeploymentEditPage() {
  const can = useCan();
  if (!can('deployments.edit').allowed) {
    return <ForbiddenState role="operator" what="Editing a deployment" />;
  }
  return <DeploymentEdit />;
}

function DeploymentEdit() {
  const provider = useProviderParam();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const deployment = useQuery(deploymentQueries.detail(id));
  const template = useQuery({ ...templateQueries.detail(deployment.data?.templateId ?? ''), enabled: deployment.isSuccess });
  const updateDeployment = useUpdateDeployment();
  const detailHref = `/${provider}/deployments/${id}`;

  if (deployment.isError && isApiError(deployment.error) && deployment.error.status === 404) {
    return <DeploymentNotFound provider={provider} />;
  }
  const error = deployment.error ?? template.error;
  return (
    <>
      <PageHeader title={deployment.data ? `Edit ${deployment.data.name}` : 'Edit deployment'} />
      {error ? (
        <ErrorAlert
          error={error}
          title="Could not load the deployment"
          onRetry={() => void (deployment.isError ? deployment.refetch() : template.refetch())}
        />
      ) : !deployment.data || !template.data ? (
        <Center py="xl">
          <Loader aria-label="Loading the deployment" />
        </Center>
      ) : (
        <DeploymentEditForm
          // Refetches while editing must not reset what the user typed.
          key={deployment.data.id}
          deployment={deployment.data}
          template={template.data}
          onSubmit={async (body) => {
            const saved = await updateDeployment.mutateAsync({ id, body });
            notifications.show({ color: 'green', title: 'Deployment saved', message: saved.name });
            void navigate(detailHref);
          }}
          onCancel={() => void navigate(detailHref)}
        />
      )}
    </>
  );
}
