// A hop's timing as waterfall rows: each phase placed on the hop's timeline
// in proportion to its duration; phases that did not happen say why.
import type { ConnectionUse, Timing } from '../../core/session/types';
import { formatMs } from './format';

export type PhaseName = 'dns' | 'connect' | 'tls' | 'sent' | 'firstByte' | 'download';

export interface TimingSegment {
  readonly phase: PhaseName;
  readonly label: string;
  readonly ms: number | null;
  readonly msLabel: string;
  readonly absent: boolean;
  /** Why an absent phase did not happen; null when present. */
  readonly reason: string | null;
  /** Position on the hop's timeline, in percent of its total. */
  readonly startPct: number;
  readonly widthPct: number;
}

export interface TimingView {
  readonly totalMs: number;
  readonly totalLabel: string;
  readonly segments: readonly TimingSegment[];
}

const PHASES: readonly { phase: PhaseName; label: string }[] = [
  { phase: 'dns', label: 'DNS lookup' },
  { phase: 'connect', label: 'TCP connect' },
  { phase: 'tls', label: 'TLS handshake' },
  { phase: 'sent', label: 'Request sent' },
  { phase: 'firstByte', label: 'Waiting (TTFB)' },
  { phase: 'download', label: 'Content download' },
];

export interface HopFacts {
  readonly url: string;
  readonly connection: ConnectionUse | null;
}

export function timingView(timing: Timing, facts: HopFacts): TimingView {
  const total = Math.max(0, timing.total);
  const pct = (ms: number) => (total > 0 ? Math.round((ms / total) * 10_000) / 100 : 0);
  let elapsed = 0;
  const segments = PHASES.map(({ phase, label }): TimingSegment => {
    const ms = timing[phase];
    if (ms === null) {
      return {
        phase,
        label,
        ms: null,
        msLabel: '—',
        absent: true,
        reason: absentReason(phase, facts),
        startPct: pct(elapsed),
        widthPct: 0,
      };
    }
    const segment = {
      phase,
      label,
      ms,
      msLabel: formatMs(ms),
      absent: false,
      reason: null,
      startPct: pct(elapsed),
      widthPct: pct(ms),
    };
    elapsed += ms;
    return segment;
  });
  return { totalMs: timing.total, totalLabel: formatMs(timing.total), segments };
}

function absentReason(phase: PhaseName, facts: HopFacts): string {
  const reused = facts.connection?.reused === true;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(facts.url)?.[1]?.toLowerCase();
  switch (phase) {
    case 'dns':
      if (reused) return 'reused connection';
      return isIpLiteralHost(facts.url) ? 'IP address, no lookup' : 'not reached';
    case 'connect':
      return reused ? 'reused connection' : 'not reached';
    case 'tls':
      if (scheme === 'http') return 'plain HTTP, no TLS';
      return reused ? 'reused connection' : 'not reached';
    default:
      return 'not reached';
  }
}

function isIpLiteralHost(url: string): boolean {
  const host = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(url)?.[1] ?? '';
  return host.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

/** Exactly "new connection #id" or "reused connection #id (request k on it)". */
export function connectionLabel(connection: ConnectionUse | null): string {
  if (!connection) {
    return 'no connection';
  }
  return connection.reused
    ? `reused connection #${connection.id} (request ${connection.requestsOnConnection} on it)`
    : `new connection #${connection.id}`;
}
