import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { deploymentKeys } from '../../deployments/api/deployment-queries';
import { runKeys } from '../../deployment-runs/api/run-queries';
import { pipelineKeys, pipelineRunKeys } from './pipeline-queries';

/** The stream's typed events that mean "something the run view shows changed". */
const CHANGE_EVENTS = ['run', 'step', 'approvalRequired'] as const;

/** How long a burst of events (a first connection replays the run's whole history) is gathered into one refresh. */
const REFRESH_DELAY_MS = 50;

/** The statuses each step's deployment run entered, oldest first, by step position: what the timeline draws. */
export type StepStatusChanges = Readonly<Record<number, readonly { status: string; at: string }[]>>;

/**
 * Adds one `step` event to the steps' status changes: a step event comes with every change of the step or of its
 * deployment run, so only a new deployment-run status is a new phase.
 */
export function withStepEvent(changes: StepStatusChanges, data: unknown): StepStatusChanges {
  if (typeof data !== 'object' || data === null) return changes;
  const { position, deploymentRunStatus: status, at } = data as Record<string, unknown>;
  if (typeof position !== 'number' || typeof status !== 'string' || typeof at !== 'string') return changes;
  const previous = changes[position] ?? [];
  if (previous.at(-1)?.status === status) return changes;
  return { ...changes, [position]: [...previous, { status, at }] };
}

/**
 * Follows a pipeline run's Server-Sent Events. While `live`, every `run` (status or current step), `step` (a step or
 * its deployment run) and `approvalRequired` event refetches the run and marks everything that shows its statuses
 * stale: the pipeline (its steps' deployment statuses), its run history, the pipeline and deployment lists, the
 * deployments and their runs. Mounted queries refetch at once, the others when next shown, so no page shows a status
 * the API no longer holds; what each caller may do comes with the refetched run. `end` does it once more and closes
 * the stream; after a drop EventSource reconnects with `Last-Event-ID` and gets only what it missed. The run query
 * also polls as a fallback.
 * With `history`, the steps' status changes are gathered from the stream (a first connection replays them all), so
 * the timeline needs no query per step; a run already finished when shown is read once for them.
 */
export function usePipelineRunEvents(
  runId: string | null | undefined,
  pipelineId: string | undefined,
  live: boolean,
  { history = false }: { history?: boolean } = {},
): StepStatusChanges {
  const queryClient = useQueryClient();
  const [changes, setChanges] = useState<StepStatusChanges>({});
  // Read when events arrive: the run ending must not reopen the stream (and replay it) only to stop refreshing.
  const liveNow = useRef(live);
  liveNow.current = live;
  // A run followed live stops being read when it ends (its step events are in by then); one that was already over
  // when shown is read once for its history.
  const [followedLive, setFollowedLive] = useState(live);
  if (live && !followedLive) setFollowedLive(true);
  const open = live || (history && !followedLive);

  useEffect(() => {
    if (!runId || !open || typeof EventSource === 'undefined') return;
    setChanges({});
    const source = new EventSource(`/api/v1/pipeline-runs/${encodeURIComponent(runId)}/events`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      timer = undefined;
      void queryClient.invalidateQueries({ queryKey: pipelineRunKeys.detail(runId) });
      if (pipelineId) {
        void queryClient.invalidateQueries({ queryKey: pipelineKeys.detail(pipelineId) });
        void queryClient.invalidateQueries({ queryKey: pipelineKeys.runs(pipelineId) });
      }
      void queryClient.invalidateQueries({ queryKey: pipelineKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: deploymentKeys.all });
      void queryClient.invalidateQueries({ queryKey: runKeys.all });
    };
    const changed = () => {
      if (liveNow.current) timer ??= setTimeout(refresh, REFRESH_DELAY_MS);
    };
    const step = (event: MessageEvent) => {
      if (!history) return;
      try {
        const data: unknown = JSON.parse(event.data as string);
        setChanges((current) => withStepEvent(current, data));
      } catch {
        // Not JSON: nothing to draw.
      }
    };
    const end = () => {
      source.close();
      if (timer) clearTimeout(timer);
      if (liveNow.current) refresh();
    };
    for (const type of CHANGE_EVENTS) source.addEventListener(type, changed);
    source.addEventListener('step', step);
    source.addEventListener('end', end);
    return () => {
      for (const type of CHANGE_EVENTS) source.removeEventListener(type, changed);
      source.removeEventListener('step', step);
      source.removeEventListener('end', end);
      source.close();
      if (timer) clearTimeout(timer);
    };
  }, [open, history, runId, pipelineId, queryClient]);

  return changes;
}
