import { MantineProvider } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { theme } from '../app/theme';
import { PlanSummary } from './plan-summary';

const plan = {
  add: 2,
  change: 1,
  destroy: 0,
  replace: 1,
  resources: [
    { address: 'aws_vpc.main', action: 'create' },
    { address: 'aws_subnet.a', action: 'create' },
    { address: 'aws_instance.web', action: 'update' },
    { address: 'aws_db_instance.old', action: 'replace' },
  ],
};

const renderPlan = (maxResources?: number) =>
  render(
    <MantineProvider theme={theme}>
      <PlanSummary plan={plan} maxResources={maxResources} />
    </MantineProvider>,
  );

describe('PlanSummary', () => {
  it('names the counts in words and colours each action one way (replace is orange)', () => {
    renderPlan();

    const counts = screen.getByRole('group', { name: 'Plan: 2 to add, 1 to change, 0 to destroy, 1 to replace' });
    const badge = (text: string) => within(counts).getByText(text).closest('.mantine-Badge-root') as HTMLElement;
    expect(badge('+2 to add').getAttribute('style')).toContain('green');
    expect(badge('~1 to change').getAttribute('style')).toContain('yellow');
    expect(badge('-0 to destroy').getAttribute('style')).toContain('red');
    expect(badge('±1 to replace').getAttribute('style')).toContain('orange');
  });

  it('lists the resources grouped by action', () => {
    renderPlan();

    expect(within(screen.getByRole('list', { name: 'Resources to create' })).getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByRole('list', { name: 'Resources to replace' })).toHaveTextContent('± aws_db_instance.old');
    expect(screen.queryByText(/more$/)).not.toBeInTheDocument();
  });

  it('lists at most maxResources and says how many more there are', () => {
    renderPlan(3);

    expect(screen.getAllByRole('listitem')).toHaveLength(3);
    expect(screen.queryByRole('list', { name: 'Resources to replace' })).not.toBeInTheDocument();
    expect(screen.getByText('and 1 more')).toBeInTheDocument();
    // The group's heading still counts all of its resources.
    expect(screen.getByText('Create (2)')).toBeInTheDocument();
  });
});
