/** Words and numbers of the review screens. */
import type { RunProgress } from '../../core/review/batch';
import type { Outcome } from '../../core/review/rows';
import type { JudgementValue, ReviewRun, RunState } from '../../core/review/run';

export const OUTCOME_LABELS: Record<Outcome, string> = {
  correct: 'correct',
  partial: 'partly correct',
  wrong: 'wrong',
  unparseable: 'unparseable',
  failed: 'failed',
  unjudged: 'not judged',
  pending: 'not run yet',
};

export const OUTCOME_MARKS: Record<Outcome, string> = {
  correct: '✓',
  partial: '½',
  wrong: '✗',
  unparseable: '?',
  failed: '!',
  unjudged: '·',
  pending: '…',
};

export const JUDGEMENT_LABELS: Record<JudgementValue, string> = { 1: 'Correct', 0.5: 'Partly correct', 0: 'Wrong' };

export const STATE_LABELS: Record<RunState, string> = {
  running: 'running',
  paused: 'paused',
  interrupted: 'interrupted',
  cancelled: 'cancelled',
  done: 'finished',
  imported: 'imported',
};

export function runLabel(run: ReviewRun): string {
  return `${run.name} (${run.kind === 'import' ? `imported, ${run.results.length} results` : STATE_LABELS[run.state]})`;
}

/** "about 2 min left". */
export function formatEta(ms: number | null): string {
  if (ms === null) return 'estimating time left…';
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `about ${s} s left`;
  const m = Math.round(s / 60);
  if (m < 90) return `about ${m} min left`;
  return `about ${(m / 60).toFixed(1)} h left`;
}

/** "24.5 items/min"; null before the first item finishes. */
export function formatPace(itemsPerMin: number | null): string | null {
  if (itemsPerMin === null) return null;
  return `${itemsPerMin >= 10 ? Math.round(itemsPerMin) : itemsPerMin.toFixed(1)} items/min`;
}

export function progressText(p: RunProgress): string {
  return `${p.done} done · ${p.failed} failed · ${p.left + p.running} left`;
}

export function percent(accuracy: number): string {
  return `${(accuracy * 100).toFixed(1)} %`;
}

/** 12.5 → "12.5", 3 → "3": credits include half points. */
export function credit(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
