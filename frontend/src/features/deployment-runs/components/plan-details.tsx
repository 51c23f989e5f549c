import { Button, Code, ScrollArea, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert';
import { PlanSummary } from '../../../components/plan-summary';
import { runQueries, type PlanSummary as Plan } from '../api/run-queries';

interface PlanDetailsProps {
  runId: string;
  plan: Plan;
}

/** The plan's summary, and the full plan text on demand. */
export function PlanDetails({ runId, plan }: PlanDetailsProps) {
  const [showText, setShowText] = useState(false);
  const text = useQuery({ ...runQueries.plan(runId), enabled: showText });

  return (
    <Stack gap="sm">
      <PlanSummary plan={plan} />
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
