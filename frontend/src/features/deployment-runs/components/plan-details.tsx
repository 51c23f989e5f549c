import { Button, Code, Loader, ScrollArea, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert';
import { PlanSummary } from '../../../components/plan-summary';
import { runQueries, type PlanSummary as Plan } from '../api/run-queries';
import { PlanDiff } from './plan-diff';

interface PlanDetailsProps {
  runId: string;
  plan: Plan;
}

/** The plan as a resource diff (its summary where the structured plan is not there), and the raw plan text one click away. */
export function PlanDetails({ runId, plan }: PlanDetailsProps) {
  const [showText, setShowText] = useState(false);
  const structured = useQuery(runQueries.structuredPlan(runId));
  const text = useQuery({ ...runQueries.plan(runId), enabled: showText });

  return (
    <Stack gap="sm">
      {structured.isPending ? (
        <Loader size="sm" aria-label="Loading the plan" />
      ) : structured.data ? (
        <>
          <PlanSummary plan={plan} countsOnly />
          <PlanDiff plan={structured.data} />
        </>
      ) : (
        // No structured plan (or it failed to load): the summary still says what changes.
        <PlanSummary plan={plan} />
      )}
      <div>
        <Button
          size="xs"
          variant="default"
          onClick={() => setShowText((shown) => !shown)}
          loading={showText && text.isFetching && !text.data}
          aria-expanded={showText}
        >
          {showText ? 'Hide full plan' : 'Show full plan'}
        </Button>
      </div>
      {showText &&
        (text.isError ? (
          <ErrorAlert error={text.error} title="Could not load the plan" onRetry={() => void text.refetch()} />
        ) : text.data !== undefined ? (
          <ScrollArea.Autosize mah={480} type="auto">
            <Code block aria-label="Full plan">
              {text.data}
            </Code>
          </ScrollArea.Autosize>
        ) : null)}
    </Stack>
  );
}
