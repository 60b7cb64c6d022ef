/**
 * Reviewing model answers: the runs of the project (batch runs made here, results imported from
 * files), which one is reviewed and which it is compared with, the selected result, filters, a
 * person's judgements and notes, and results / scores export. The batch runner is batchSlice.
 */
import type { StateCreator } from 'zustand';
import { fileStem } from '../../core/formats/zipPaths';
import { matchResults } from '../../core/review/match';
import { resultsJsonl, scoresCsv, scoresJson } from '../../core/review/exportResults';
import { resultFromLine, type ResultParse } from '../../core/review/resultLines';
import { NO_FILTER, type ReviewFilter } from '../../core/review/rows';
import type { Judgement, Judgements, JudgementValue, ReviewRun } from '../../core/review/run';
import type { AppState } from '../appStore';
import type { AppDeps } from '../deps';
import { selectFilteredRows, selectProjectResultItems, selectReviewRows, selectRunScores } from '../reviewSelectors';

export type ReviewTab = 'items' | 'scores';

export interface ReviewSlice {
  review: {
    readonly runs: readonly ReviewRun[];
    readonly judgements: Judgements;
    /** The run being reviewed. */
    readonly runId: string | null;
    /** The run it is compared with, side by side. */
    readonly compareId: string | null;
    /** The selected result (a key of the reviewed run). */
    readonly selectedKey: string | null;
    readonly filter: ReviewFilter;
    readonly tab: ReviewTab;
    readonly busy: 'importing' | 'exporting' | null;
    /** What the last import or export did. */
    readonly report: string | null;
    readonly error: string | null;
  };
  selectRun(id: string | null): void;
  selectCompareRun(id: string | null): void;
  selectResult(key: string | null): void;
  /** The next (+1) or previous (−1) result of the filtered list. */
  stepResult(delta: 1 | -1): void;
  setReviewFilter(patch: Partial<ReviewFilter>): void;
  clearReviewFilter(): void;
  setReviewTab(tab: ReviewTab): void;
  /** A person's verdict on a result of the reviewed run (null clears it, keeping the note). */
  judge(key: string, value: JudgementValue | null): void;
  setReviewNote(key: string, note: string): void;
  /** Reads a results file (reference JSON Lines or V2P-Bench's published form) as a new run. */
  importResults(file: Blob, name: string): Promise<void>;
  /** The reviewed run's results as JSON Lines in the reference format. */
  exportResults(): Promise<void>;
  exportScores(format: 'csv' | 'json'): Promise<void>;
  renameRun(id: string, name: string): void;
  deleteRun(id: string): void;
  /** Replaces one run (the batch runner's progress). */
  updateRun(id: string, change: (run: ReviewRun) => ReviewRun): void;
  /** Adds a run and reviews it. */
  addRun(run: ReviewRun): void;
  /** Replaces runs and judgements (a project was opened). */
  loadReview(runs: readonly ReviewRun[], judgements: Judgements): void;
  setReviewMessage(report: string | null, error?: string | null): void;
}

/** A results file larger than this is refused before it is read (10,000 lines are ~20 MB). */
export const MAX_RESULTS_BYTES = 512 * 1024 * 1024;

let counter = 0;
/** Ids of runs, batch and imported alike (one counter: two runs made in the same millisecond differ). */
export const newRunId = (): string => `run-${Date.now().toString(36)}-${(counter++).toString(36)}`;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function problemsText(problems: readonly { line: number; message: string }[]): string {
  const shown = problems.slice(0, 3).map((p) => `line ${p.line}: ${p.message}`);
  return shown.join('; ') + (problems.length > 3 ? `; and ${problems.length - 3} more` : '');
}

/** "results-2026-11-21.jsonl": a file name from a run name. */
function safeName(name: string): string {
  return name.replace(/[\\/:*?"<>|]+/g, '_').replace(/\s+/g, ' ').trim() || 'results';
}

export function createReviewSlice(deps: AppDeps): StateCreator<AppState, [], [], ReviewSlice> {
  return (set, get) => {
    const patch = (p: Partial<ReviewSlice['review']>): void => set((s) => ({ review: { ...s.review, ...p } }));

    const setJudgement = (key: string, change: (j: Judgement | null) => Judgement | null): void => {
      const runId = get().review.runId;
      if (runId === null) return;
      const all = get().review.judgements;
      const forRun = all[runId] ?? {};
      const next = change(forRun[key] ?? null);
      const { [key]: _old, ...rest } = forRun;
      const updated = next === null || (next.value === null && next.note.trim() === '') ? rest : { ...rest, [key]: next };
      patch({ judgements: { ...all, [runId]: updated } });
    };

    /** The video follows the review: a result about an item of this project shows its visual prompt frame. */
    const showItemFrame = (key: string | null): void => {
      const run = get().review.runs.find((r) => r.id === get().review.runId);
      const itemId = run?.results.find((r) => r.key === key)?.itemId ?? null;
      const item = itemId === null ? undefined : get().qa.history.present.find((i) => i.id === itemId);
      if (!item) return;
      // A result of another video's item opens that video at the item's frame.
      if (item.projectVideoId !== null && item.projectVideoId !== get().dataset.openVideoId) {
        void get().switchVideo(item.projectVideoId, item.frame !== null ? { frame: item.frame } : undefined);
        return;
      }
      if (item.frame !== null && get().video.info !== null) get().seek(item.frame);
    };

    const save = async (name: string, data: string, kind: { description: string; mime: string; extension: string }): Promise<void> => {
      patch({ busy: 'exporting', error: null, report: null });
      try {
        const outcome = await deps.files.saveFile(name, new Blob([data], { type: kind.mime }), kind);
        patch({ report: outcome === 'cancelled' ? null : `${outcome === 'saved' ? 'Saved' : 'Downloaded'} ${name}.` });
      } catch (e) {
        patch({ error: `Could not save ${name}: ${message(e)}` });
      } finally {
        patch({ busy: null });
      }
    };

    return {
      review: { runs: [], judgements: {}, runId: null, compareId: null, selectedKey: null, filter: NO_FILTER, tab: 'items', busy: null, report: null, error: null },

      selectRun(id) {
        const s = get().review;
        const run = s.runs.find((r) => r.id === id) ?? null;
        patch({ runId: run?.id ?? null, compareId: s.compareId === id ? null : s.compareId, selectedKey: run?.results[0]?.key ?? null, filter: { ...s.filter, disagree: false } });
      },

      selectCompareRun(id) {
        const s = get().review;
        const next = id !== null && s.runs.some((r) => r.id === id) && id !== s.runId ? id : null;
        patch({ compareId: next, filter: next === null ? { ...s.filter, disagree: false } : s.filter });
      },

      selectResult(key) {
        patch({ selectedKey: key });
        showItemFrame(key);
      },

      stepResult(delta) {
        const rows = selectFilteredRows(get());
        if (rows.length === 0) return;
        const key = get().review.selectedKey;
        const i = key === null ? -1 : rows.findIndex((r) => r.key === key);
        const next = i < 0 ? (delta > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, i + delta));
        patch({ selectedKey: rows[next]!.key });
        showItemFrame(rows[next]!.key);
      },

      setReviewFilter(p) {
        patch({ filter: { ...get().review.filter, ...p } });
      },

      clearReviewFilter() {
        patch({ filter: NO_FILTER });
      },

      setReviewTab(tab) {
        patch({ tab });
      },

      judge(key, value) {
        const at = deps.agentClock.now();
        setJudgement(key, (j) => ({ value, note: j?.note ?? '', at }));
      },

      setReviewNote(key, note) {
        const at = deps.agentClock.now();
        setJudgement(key, (j) => ({ value: j?.value ?? null, note, at }));
      },

      async importResults(file, name) {
        patch({ busy: 'importing', error: null, report: null });
        try {
          if (file.size > MAX_RESULTS_BYTES) {
            patch({ error: `“${name}” is too large to import (${Math.round(file.size / 1e6)} MB; at most ${MAX_RESULTS_BYTES / 1024 / 1024} MB). Nothing was changed.` });
            return;
          }
          let parsed: ResultParse;
          try {
            parsed = await deps.files.readResults(file);
          } catch (e) {
            patch({ error: `“${name}” could not be read: ${message(e)}. Nothing was changed.` });
            return;
          }
          if (parsed.results.length === 0) {
            const why = parsed.problems.length > 0 ? problemsText(parsed.problems) : 'the file is empty';
            patch({ error: `No results in “${name}”: ${why}. A results file has one JSON object per line with at least "question", "answer" and "response". Nothing was changed.` });
            return;
          }
          const items = [...selectProjectResultItems(get())].map(([id, item]) => ({ id, item }));
          const match = matchResults(parsed.results, items);
          const id = newRunId();
          const results = parsed.results.map((line, i) => resultFromLine(line, match.itemIds[i] ?? null));
          const models = [...new Set(parsed.results.map((l) => l.model).filter((m): m is string => m !== null && m !== ''))];
          const skipped = parsed.problems.length > 0 ? ` ${parsed.problems.length} line${parsed.problems.length === 1 ? ' was' : 's were'} not results (${problemsText(parsed.problems)}).` : '';
          const report = match.report + skipped;
          const seeded: Record<string, Judgement> = {};
          parsed.results.forEach((line, i) => {
            if (line.judgement !== null) seeded[results[i]!.key] = { ...line.judgement, at: deps.agentClock.now() };
          });
          const run: ReviewRun = {
            id,
            name: fileStem(name) || name,
            kind: 'import',
            createdAt: deps.agentClock.now(),
            model: models.length === 1 ? models[0]! : models.length > 1 ? models.join(', ') : '',
            settings: null,
            fileName: name,
            concurrency: 0,
            state: 'imported',
            activeMs: 0,
            resumedAt: null,
            results,
            report,
          };
          const s = get().review;
          patch({
            runs: [...s.runs, run],
            judgements: Object.keys(seeded).length > 0 ? { ...s.judgements, [id]: seeded } : s.judgements,
            runId: id,
            compareId: s.compareId ?? s.runId,
            selectedKey: results[0]?.key ?? null,
            filter: NO_FILTER,
            report: `Imported “${name}”. ${report}`,
          });
          // Saved by the usual debounced save, after the list has painted (a big run takes a
          // few hundred ms to validate and clone); the file is still on the user's disk meanwhile.
        } finally {
          patch({ busy: null });
        }
      },

      async exportResults() {
        const run = get().review.runs.find((r) => r.id === get().review.runId);
        if (!run) return;
        const rows = selectReviewRows(get()).filter((r) => r.result.status === 'done' || r.result.status === 'failed');
        if (rows.length === 0) {
          patch({ error: 'This run has no results yet: nothing to export.' });
          return;
        }
        const text = resultsJsonl(rows.map((r) => ({ item: r.item, result: r.result, judgement: r.judgement, model: run.model })));
        await save(`${safeName(run.name)}.jsonl`, text, { description: 'JSON Lines results', mime: 'application/jsonl', extension: '.jsonl' });
      },

      async exportScores(format) {
        const run = get().review.runs.find((r) => r.id === get().review.runId);
        if (!run) return;
        const scores = selectRunScores(get());
        if (format === 'csv') await save(`${safeName(run.name)}-scores.csv`, scoresCsv(scores), { description: 'CSV table', mime: 'text/csv', extension: '.csv' });
        else await save(`${safeName(run.name)}-scores.json`, scoresJson(scores), { description: 'JSON', mime: 'application/json', extension: '.json' });
      },

      renameRun(id, name) {
        const clean = name.trim();
        if (clean === '') return;
        get().updateRun(id, (r) => ({ ...r, name: clean }));
      },

      deleteRun(id) {
        // Its items in flight stop at the endpoint too.
        get().cancelBatch(id);
        const s = get().review;
        const { [id]: _gone, ...judgements } = s.judgements;
        const runs = s.runs.filter((r) => r.id !== id);
        const runId = s.runId === id ? (runs[runs.length - 1]?.id ?? null) : s.runId;
        patch({ runs, judgements, runId, compareId: s.compareId === id || s.compareId === runId ? null : s.compareId, selectedKey: s.runId === id ? null : s.selectedKey });
      },

      updateRun(id, change) {
        const runs = get().review.runs;
        const i = runs.findIndex((r) => r.id === id);
        if (i < 0) return;
        const next = change(runs[i]!);
        if (next === runs[i]) return;
        patch({ runs: runs.map((r, k) => (k === i ? next : r)) });
      },

      addRun(run) {
        patch({ runs: [...get().review.runs, run], runId: run.id, selectedKey: run.results[0]?.key ?? null });
      },

      loadReview(runs, judgements) {
        const last = runs[runs.length - 1] ?? null;
        patch({ runs, judgements, runId: last?.id ?? null, compareId: null, selectedKey: last?.results[0]?.key ?? null, filter: NO_FILTER, busy: null, report: null, error: null });
      },

      setReviewMessage(report, error = null) {
        patch({ report, error });
      },
    };
  };
}
