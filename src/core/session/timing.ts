// Turns the moments a hop reached into the phases shown in the waterfall.
//
// How the phases tile the timeline: each phase ends at the moment it was
// observed to finish and starts where the previous phase that happened
// ended; the first one starts when the hop was handed to the connection pool.
// So the small wait inside the pool before connecting is counted in the first
// phase (dns, or connect without DNS), the hand-over after the handshake is
// counted in `sent`, and the present phases always add up to `total`
// (= end - start). A hop that stops early (error, timeout) gives the time
// since the last finished phase to the phase that was running.
import type { Timing } from './types';

export type Phase = 'dns' | 'connect' | 'tls' | 'sent' | 'firstByte' | 'download';

export const PHASES: readonly Phase[] = ['dns', 'connect', 'tls', 'sent', 'firstByte', 'download'];

export interface TimingMarks {
  /** performance.now() when the hop was dispatched. */
  readonly start: number;
  /** performance.now() when the hop finished or failed. */
  readonly end: number;
  /** When each phase finished; absent when it did not happen or did not finish. */
  readonly done: Partial<Record<Phase, number>>;
  /** The phase that was running when the hop stopped early. */
  readonly running: Phase | null;
}

// Hundredths of a millisecond: finer than the clocks involved are worth.
const round = (ms: number): number => Math.round(ms * 100) / 100;

export function computeTiming(marks: TimingMarks): Timing {
  const phases: Record<Phase, number | null> & { total: number } = {
    dns: null,
    connect: null,
    tls: null,
    sent: null,
    firstByte: null,
    download: null,
    total: 0,
  };
  // Work on rounded offsets from the start so the rounded phases still add up exactly.
  const end = Math.max(0, round(marks.end - marks.start));
  let previous = 0;
  let last: Phase | null = null;
  for (const phase of PHASES) {
    const at = marks.done[phase];
    if (at === undefined) {
      continue;
    }
    // Clamp: events observed slightly out of order must not make a phase negative.
    const offset = Math.min(end, Math.max(previous, round(at - marks.start)));
    phases[phase] = round(offset - previous);
    previous = offset;
    last = phase;
  }
  // Whatever is left belongs to the phase still running; never drop it, or the sum would not be `total`.
  const rest = marks.running ?? last;
  if (rest && end > previous) {
    phases[rest] = round((phases[rest] ?? 0) + end - previous);
  }
  phases.total = end;
  return phases;
}

export function emptyTiming(): Timing {
  return { dns: null, connect: null, tls: null, sent: null, firstByte: null, download: null, total: 0 };
}
