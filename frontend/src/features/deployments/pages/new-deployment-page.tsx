import { Center, Loader, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { useProviderParam } from '../../../lib/use-provider';
import { templateQueries } from '../../templates/api/template-queries';
import { DeploymentWizard } from '../components/deployment-wizard';

export function NewDeploymentPage() {
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
