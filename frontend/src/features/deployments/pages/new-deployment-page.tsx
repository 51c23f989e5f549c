import { Center, Loader, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router';
import { ForbiddenState } from '../../../components/forbidden-state';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { useProviderParam } from '../../../lib/use-provider';
import { useCan } from '../../access/api/permissions';
import { templateQueries } from '../../templates/api/template-queries';
import { DeploymentWizard } from '../components/deployment-wizard';

export function NewDeploymentPage() {
  const can = useCan();
  if (!can('deployments.edit').allowed) {
    return <ForbiddenState role="operator" what="Creating a deployment" />;
  }
  return <NewDeployment />;
}

function NewDeployment() {
  const provider = useProviderParam();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const templateId = searchParams.get('templateId') ?? '';
  const template = useQuery({ ...templateQueries.detail(templateId), enabled: templateId !== '' });

  return (
    <>
      <PageHeader
        title="New deployment"
        description="A deployment is a template with its variable values, run in a cloud environment, inside a project."
      />
      {templateId && template.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading the template" />
        </Center>
      ) : (
        <Stack>
          {template.isError && <ErrorAlert error={template.error} title="Could not load the chosen template" />}
          <DeploymentWizard
            provider={provider}
            initialTemplate={template.data?.provider === provider ? template.data : null}
            onCreated={(deployment) => {
              notifications.show({ color: 'green', title: 'Deployment created', message: deployment.name });
              void navigate(`/${provider}/deployments/${deployment.id}`);
            }}
            onCancel={() => void navigate(`/${provider}/deployments`)}
          />
        </Stack>
      )}
    </>
  );
}
