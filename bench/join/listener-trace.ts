import type { Page } from 'playwright-core';

/** A Chrome trace event (the JSON trace format DevTools and Perfetto load). */
export type TraceEvent = {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
};

/**
 * What a page's renderer did, as a Performance panel recording has it: tasks, script, layout,
 * WebRTC, user timing marks and CPU samples (for functions' self time).
 */
const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink.user_timing',
  'v8.execute',
  'v8',
  'webrtc',
  'disabled-by-default-v8.cpu_profiler',
];

/** Starts tracing `page`; `stop()` ends it and returns the events. */
export async function startTrace(page: Page) {
  const session = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  session.on('Tracing.dataCollected', ({ value }) => {
    events.push(...(value as unknown as TraceEvent[]));
  });
  await session.send('Tracing.start', {
    traceConfig: { includedCategories: CATEGORIES },
    transferMode: 'ReportEvents',
  });
  return {
    async stop(): Promise<TraceEvent[]> {
      const complete = new Promise<void>((resolve) =>
        session.once('Tracing.tracingComplete', () => resolve()),
      );
      await session.send('Tracing.end');
      await complete;
      await session.detach();
      return events;
    },
  };
}
