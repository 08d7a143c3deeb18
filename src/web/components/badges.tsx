import type { CheckStep } from '../api/types.js';
import { humanize } from './format.js';

const STEP_TONE: Record<CheckStep, string> = {
  delivered: 'neutral', opened: 'info', 'submitted-photo': 'info', completed: 'success', failed: 'danger',
};

export function StepBadge({ step }: { step: CheckStep }) {
  return <span className={`badge badge--${STEP_TONE[step] ?? 'neutral'}`}>{humanize(step)}</span>;
}

export function VerdictBadge({ verdict }: { verdict: 'pending' | 'passed' | 'failed' }) {
  const tone = verdict === 'passed' ? 'success' : verdict === 'failed' ? 'danger' : 'neutral';
  return <span className={`badge badge--${tone}`}>{humanize(verdict)}</span>;
}

export function TestBadge({ testing }: { testing: boolean }) {
  return testing ? <span className="badge badge--test" title="A test check: simulated, never billed">Test</span> : <span className="badge badge--live">Live</span>;
}

/** Delivery and endpoint states: succeeded, failed, pending, … */
export function StatusBadge({ status, tone }: { status: string; tone?: 'success' | 'danger' | 'warning' | 'neutral' }) {
  const shade = tone ?? (/succe|healthy/.test(status) ? 'success' : /fail|disabled/.test(status) ? 'danger' : 'neutral');
  return <span className={`badge badge--${shade}`}>{humanize(status)}</span>;
}
