import { Badge, Card, Container, Group, SimpleGrid, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { TableSkeleton } from '../../../components/table-skeleton';
import { providerQueries } from '../api/provider-queries';
import { useDocumentTitle } from '../../../lib/use-document-title';

export function ProviderPickerPage() {
  const providers = useQuery(providerQueries.list());

  useDocumentTitle('Select a cloud provider');
  return (
    <Container size="md" py="xl">
      <Title order={1} mb="xs">
        Select a cloud provider
      </Title>
      <Text c="dimmed" mb="xl">
        Everything in Amnify Deploy — pipelines, deployments, projects, templates and cloud environments — belongs to
        one cloud provider.
      </Text>

      {providers.isPending && <TableSkeleton rows={3} label="Loading cloud providers" />}
      {providers.isError && <ErrorAlert error={providers.error} onRetry={() => void providers.refetch()} />}
      {providers.isSuccess && providers.data.length === 0 && (
        <EmptyState title="No cloud providers" description="The server offers no cloud provider." />
      )}
      {providers.isSuccess && providers.data.length > 0 && (
        <SimpleGrid cols={{ base: 1, sm: 3 }} component="ul" style={{ listStyle: 'none', padding: 0 }}>
          {providers.data.map((provider) => (
            <li key={provider.id}>
              <Card
                component={Link}
                to={`/${provider.id}`}
                withBorder
                h="100%"
                padding="lg"
                radius="md"
                className="mantine-focus-auto"
              >
                <Group justify="space-between" mb="xs">
                  <Text fw={600} size="lg">
                    {provider.displayName}
                  </Text>
                  <Badge variant="light">{provider.id.toUpperCase()}</Badge>
                </Group>
                <Text size="sm" c="dimmed">
                  Work with {provider.displayName} resources
                </Text>
              </Card>
            </li>
          ))}
        </SimpleGrid>
      )}
    </Container>
  );
}
