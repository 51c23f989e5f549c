import { Center, Loader } from '@mantine/core';
import { Navigate, createBrowserRouter, type RouteObject } from 'react-router';
import { AccountLayout } from './layout/account-layout';
import { AppLayout } from './layout/app-layout';
import { RequireSession } from './layout/require-session';
import { NotFound, RouteError } from './route-error';

// Every page is its own chunk: the first load carries only the shell.
// `/login` stands alone; every other page is behind RequireSession (a 401 anywhere also leads to /login?next=…).
export const routes: RouteObject[] = [
  {
    path: '/',
    errorElement: <RouteError />,
    hydrateFallbackElement: (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    ),
    children: [
      {
        path: 'login',
        lazy: async () => ({ Component: (await import('../features/access/pages/login-page')).LoginPage }),
      },
      {
        // Everything else needs a signed-in user.
        Component: RequireSession,
        children: [
          {
            Component: AccountLayout,
            children: [
              {
                index: true,
                lazy: async () => ({
                  Component: (await import('../features/providers/pages/provider-picker-page')).ProviderPickerPage,
                }),
              },
              {
                path: 'tokens',
                lazy: async () => ({ Component: (await import('../features/tokens/pages/tokens-page')).TokensPage }),
              },
              {
                path: 'users',
                lazy: async () => ({ Component: (await import('../features/users/pages/users-page')).UsersPage }),
              },
              {
                path: 'audit',
                lazy: async () => ({ Component: (await import('../features/audit/pages/audit-page')).AuditPage }),
              },
              {
                path: 'webhooks',
                lazy: async () => ({ Component: (await import('../features/webhooks/pages/webhooks-page')).WebhooksPage }),
              },
              {
                path: 'webhooks/:webhookId',
                lazy: async () => ({
                  Component: (await import('../features/webhooks/pages/webhook-deliveries-page')).WebhookDeliveriesPage,
                }),
              },
            ],
          },
          {
            path: ':provider',
            Component: AppLayout,
            children: [
              { index: true, element: <Navigate to="pipelines" replace /> },
              {
                path: 'pipelines',
                lazy: async () => ({
                  Component: (await import('../features/pipelines/pages/pipelines-page')).PipelinesPage,
                }),
              },
              {
                path: 'pipelines/:pipelineId',
                lazy: async () => ({
                  Component: (await import('../features/pipelines/pages/pipeline-detail-page')).PipelineDetailPage,
                }),
              },
              {
                path: 'pipeline-runs/:runId',
                lazy: async () => ({
                  Component: (await import('../features/pipelines/pages/pipeline-run-page')).PipelineRunPage,
                }),
              },
              {
                path: 'deployments',
                lazy: async () => ({
                  Component: (await import('../features/deployments/pages/deployments-page')).DeploymentsPage,
                }),
              },
              {
                path: 'deployments/new',
                lazy: async () => ({
                  Component: (await import('../features/deployments/pages/new-deployment-page')).NewDeploymentPage,
                }),
              },
              {
                path: 'deployments/:id',
                lazy: async () => ({
                  Component: (await import('../features/deployments/pages/deployment-detail-page')).DeploymentDetailPage,
                }),
              },
              {
                path: 'deployments/:id/edit',
                lazy: async () => ({
                  Component: (await import('../features/deployments/pages/deployment-edit-page')).DeploymentEditPage,
                }),
              },
              {
                // Deep links to one run of a deployment (execute or destroy), e.g. from the run history or a pipeline run.
                path: 'runs/:runId',
                lazy: async () => ({
                  Component: (await import('../features/deployment-runs/pages/run-page')).RunPage,
                }),
              },
              {
                path: 'approvals',
                lazy: async () => ({
                  Component: (await import('../features/approvals/pages/approvals-page')).ApprovalsPage,
                }),
              },
              {
                path: 'projects',
                lazy: async () => ({
                  Component: (await import('../features/projects/pages/projects-page')).ProjectsPage,
                }),
              },
              {
                path: 'projects/:projectId',
                lazy: async () => ({
                  Component: (await import('../features/projects/pages/project-detail-page')).ProjectDetailPage,
                }),
              },
              {
                path: 'templates/:templateId',
                lazy: async () => ({
                  Component: (await import('../features/templates/pages/template-detail-page')).TemplateDetailPage,
                }),
              },
              {
                path: 'templates',
                lazy: async () => ({
                  Component: (await import('../features/templates/pages/templates-page')).TemplatesPage,
                }),
              },
              {
                path: 'cloud-environments',
                lazy: async () => ({
                  Component: (await import('../features/cloud-environments/pages/cloud-environments-page'))
                    .CloudEnvironmentsPage,
                }),
              },
              { path: '*', Component: NotFound },
            ],
          },
        ],
      },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
