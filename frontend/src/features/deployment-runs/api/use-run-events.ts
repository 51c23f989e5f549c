import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../../api/client';
import { stripAnsi } from '../../../lib/ansi';
import { deploymentKeys } from '../../deployments/api/deployment-queries';
import { RUN_POLL_INTERVAL_MS, runKeys } from './run-queries';

/** How long log lines are gathered before the page re-renders (a replayed log arrives as thousands of events). */
const FLUSH_DELAY_MS = 50;

/** One line of a run's log: when it was written, and who wrote it (the engine or Terraform; unknown on older lines). */
export interface LogLine {
  text: string;
  at?: string;
  source?: 'engine' | 'terraform';
}

const sourceOf = (value: unknown): LogLine['source'] => (value === 'engine' || value === 'terraform' ? value : undefined);

export interface RunEvents {
  /** Log lines so far, ANSI codes stripped; from the stream with the time each was written. */
  lines: LogLine[];
  /** `streaming` while the event stream is open; `ended` once the server said the run is final; `polling` when
   * the stream could not be used and the log is fetched every few seconds instead. */
  mode: 'connecting' | 'streaming' | 'ended' | 'polling';
}

function parse(data: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Follows a run live over Server-Sent Events (`GET /deployment-runs/{id}/events`): every `log` event adds a line,
 * every `status` and `approvalRequired` event refreshes the run (so its buttons and timeline follow). The stream replays the log from the
 * start and resumes with `Last-Event-ID` after a drop (EventSource does that). Without a usable stream the log is
 * fetched with `GET …/log/lines?offset=N` instead, every few seconds until the run is `final`.
 * Mount it once per run (key the caller by run id).
 */
export function useRunEvents(runId: string, final: boolean): RunEvents {
  const queryClient = useQueryClient();
  const [lines, setLines] = useState<LogLine[]>([]);
  const [mode, setMode] = useState<RunEvents['mode']>('connecting');
  /** The number of the last event taken in: later events only (a reconnect may resend one). */
  const lastEvent = useRef(0);

  useEffect(() => {
    if (typeof EventSource === 'undefined') {
      setMode('polling');
      return;
    }
    let pending: LogLine[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const batch = pending;
      pending = [];
      if (batch.length > 0) setLines((previous) => previous.concat(batch));
    };
    const accept = (event: MessageEvent) => {
      const number = Number(event.lastEventId);
      if (!Number.isFinite(number) || number <= 0) return true;
      if (number <= lastEvent.current) return false;
      lastEvent.current = number;
      return true;
    };
    const refreshRun = () => queryClient.invalidateQueries({ queryKey: runKeys.detail(runId) });

    const source = new EventSource(`/api/v1/deployment-runs/${encodeURIComponent(runId)}/events`);
    source.addEventListener('open', () => setMode('streaming'));
    source.addEventListener('log', (event) => {
      if (!accept(event)) return;
      const data = parse(event.data);
      if (typeof data?.line !== 'string') return;
      pending.push({ text: stripAnsi(data.line), at: typeof data.at === 'string' ? data.at : undefined, source: sourceOf(data.source) });
      timer ??= setTimeout(flush, FLUSH_DELAY_MS);
    });
    const changed = (event: MessageEvent) => {
      if (!accept(event)) return;
      void refreshRun();
    };
    source.addEventListener('status', changed);
    // Its id is the status's with a suffix ("12.1"): as a number it still orders after it.
    source.addEventListener('approvalRequired', changed);
    source.addEventListener('end', () => {
      source.close();
      flush();
      setMode('ended');
      void refreshRun();
      void queryClient.invalidateQueries({ queryKey: deploymentKeys.all });
    });
    source.addEventListener('error', () => {
      // A dropped connection is retried by EventSource itself; a refused one (e.g. 404) closes it for good.
      if (source.readyState === EventSource.CLOSED) setMode((current) => (current === 'ended' ? current : 'polling'));
    });
    return () => {
      source.close();
      if (timer) clearTimeout(timer);
    };
  }, [queryClient, runId]);

  useEffect(() => {
    if (mode !== 'polling') return;
    let stopped = false;
    const poll = async () => {
      const { data, response } = await api.GET('/api/v1/deployment-runs/{id}/log/lines', {
        params: { path: { id: runId }, query: { offset: Math.floor(lastEvent.current) } },
      });
      if (stopped || !response.ok || !data || data.offset <= lastEvent.current) return;
      lastEvent.current = data.offset;
      const batch = data.lines.map((line) => ({ text: stripAnsi(line.text), at: line.at, source: sourceOf(line.source) }));
      if (batch.length > 0) setLines((previous) => previous.concat(batch));
    };
    void poll().catch(() => {});
    if (final) return () => void (stopped = true);
    const timer = setInterval(() => void poll().catch(() => {}), RUN_POLL_INTERVAL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [mode, final, runId]);

  return { lines, mode };
}
