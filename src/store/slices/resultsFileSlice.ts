/**
 * Results files: a batch run's results appended, as they finish, to a file the user picked (one
 * reference JSON line per result, core/review/resultsFile.ts), while the project keeps them too.
 *
 * The file is chosen in the batch dialog before the run exists, and given to the run it starts.
 * From then on this slice watches the runs: every change of a run with an open file writes the
 * results that finished and are not in the file yet (each once, in order of finishing; one
 * append at a time per file, what finishes meanwhile going together in the next), then records
 * their keys on the run. A finished or cancelled run with everything written closes its file.
 *
 * Files are not kept across a reload (the browser would ask again anyway): the run says which
 * file it wrote and how far, and "Reopen" picks it again, reads which results it already has and
 * appends only the rest. A file that cannot be written any more is closed and the run says so; the
 * run itself goes on, its results in the project.
 */
import type { StateCreator } from 'zustand';
import { inFile, newResultsFile, resultsFileText, unwritten, withoutKeys, withWritten, type ResultsFileRecord, type ResultsFileSink } from '../../core/review/resultsFile';
import type { ReviewRun } from '../../core/review/run';
import type { AppState } from '../appStore';
import type { AppDeps } from '../deps';

export interface ResultsFileSlice {
  resultsFile: {
    /** Whether this browser can write a file as results arrive (File System Access). */
    readonly available: boolean;
    /** The file chosen in the batch dialog for the run it starts; null: none. */
    readonly next: string | null;
    /** Runs whose results file is open in this page. */
    readonly open: readonly string[];
    /** A file is being picked or read back. */
    readonly busy: boolean;
    /** Why the last pick or reopen did not work. */
    readonly error: string | null;
  };
  /** The save dialog for the next run's results file (call from the user's click). */
  chooseResultsFile(): Promise<void>;
  /** The chosen file is not wanted after all (the dialog was closed). */
  forgetNextResultsFile(): void;
  /** Gives the run the batch dialog just started the file chosen there. */
  useNextResultsFile(runId: string): void;
  /** Picks the run's file again (after a reload, or after it could not be written) and appends what it lacks. */
  reopenResultsFile(runId: string): Promise<void>;
}

type Sink = ResultsFileSink<Blob>;

interface OpenFile {
  readonly sink: Sink;
  /** An append is on its way: what finishes meanwhile goes in the next one. */
  writing: boolean;
}

const message = (e: unknown): string => (e instanceof Error ? e.message || e.name : String(e));

/** Runs whose file is closed once everything is written. */
const ended = (run: ReviewRun): boolean => run.state === 'done' || run.state === 'cancelled';

/** "Street project results 2026-01-02 1042.jsonl" */
function suggestedName(project: string | null, now: number): string {
  const stamp = new Date(now).toISOString().slice(0, 16).replace('T', ' ').replace(':', '');
  const base = (project ?? 'results').replace(/[\\/:*?"<>|]+/g, '_').trim() || 'results';
  return `${base} results ${stamp}.jsonl`;
}

export function createResultsFileSlice(deps: AppDeps): StateCreator<AppState, [], [], ResultsFileSlice> {
  return (set, get, api) => {
    const patch = (p: Partial<ResultsFileSlice['resultsFile']>): void => set((s) => ({ resultsFile: { ...s.resultsFile, ...p } }));
    const files = new Map<string, OpenFile>();
    let nextSink: Sink | null = null;

    const runOf = (id: string): ReviewRun | undefined => get().review.runs.find((r) => r.id === id);
    const setRecord = (runId: string, change: (record: ResultsFileRecord) => ResultsFileRecord): void =>
      get().updateRun(runId, (r) => {
        if (r.resultsFile === undefined) return r;
        const next = change(r.resultsFile);
        return next === r.resultsFile ? r : { ...r, resultsFile: next };
      });
    const listOpen = (): void => {
      const open = [...files.keys()];
      if (open.join('\n') !== get().resultsFile.open.join('\n')) patch({ open });
    };

    /** Lets go of a run's file (everything written, or not writable): what was appended stays in it. */
    const release = (runId: string): Promise<void> => {
      const f = files.get(runId);
      if (!f) return Promise.resolve();
      files.delete(runId);
      listOpen();
      return f.sink.close();
    };

    const fail = (runId: string, f: OpenFile, e: unknown): void => {
      if (files.get(runId) !== f) return;
      files.delete(runId);
      listOpen();
      f.sink.close().catch(() => undefined);
      setRecord(runId, (record) => ({ ...record, problem: message(e) }));
    };

    /**
     * Writes what the run's file lacks, one append at a time (what finishes during an append goes
     * in the next), and closes the file once an ended run has nothing left to write.
     */
    const pump = (runId: string): void => {
      const f = files.get(runId);
      if (!f || f.writing) return;
      f.writing = true;
      void (async () => {
        try {
          for (;;) {
            if (files.get(runId) !== f) return;
            const run = runOf(runId);
            // Deleted, or another project was opened.
            if (!run || run.resultsFile === undefined) {
              await release(runId).catch(() => undefined);
              return;
            }
            const { results } = unwritten(run);
            if (results.length === 0) {
              if (ended(run)) await release(runId).catch((e: unknown) => setRecord(runId, (record) => ({ ...record, problem: message(e) })));
              return;
            }
            try {
              await f.sink.append(resultsFileText(run, results));
            } catch (e) {
              fail(runId, f, e);
              return;
            }
            setRecord(runId, (record) => withWritten(record, results));
          }
        } finally {
          f.writing = false;
        }
      })();
    };

    // Watch the runs. Writes are started from a microtask: this listener runs inside the change
    // that finished a result, and recording what was written is itself a change of the runs.
    let scheduled = false;
    api.subscribe((s, prev) => {
      if (s.review.runs === prev.review.runs || scheduled) return;
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        const runs = get().review.runs;
        // A written failure asked again ("Retry failed") must be written again once it finishes, file open or not.
        for (const run of runs) {
          if (run.resultsFile === undefined) continue;
          const { askedAgain } = unwritten(run);
          if (askedAgain.length > 0) setRecord(run.id, (record) => withoutKeys(record, askedAgain));
        }
        for (const runId of [...files.keys()]) pump(runId);
      });
    });

    const attach = (runId: string, sink: Sink, lines?: Pick<ResultsFileRecord, 'written' | 'failed'>): void => {
      files.set(runId, { sink, writing: false });
      listOpen();
      get().updateRun(runId, (r) => ({ ...r, resultsFile: newResultsFile(sink.name, lines) }));
      pump(runId);
    };

    return {
      resultsFile: { available: deps.resultsFiles != null, next: null, open: [], busy: false, error: null },

      async chooseResultsFile() {
        const port = deps.resultsFiles;
        if (!port) return;
        // Straight from the click: the save dialog needs the user's gesture.
        const opening = port.open(suggestedName(get().project.current?.name ?? null, deps.agentClock.now()), 'new');
        patch({ busy: true, error: null });
        try {
          const sink = await opening;
          if (sink === null) return;
          void nextSink?.close().catch(() => undefined);
          nextSink = sink;
          patch({ next: sink.name });
        } catch (e) {
          patch({ error: `The results file could not be opened: ${message(e)}` });
        } finally {
          patch({ busy: false });
        }
      },

      forgetNextResultsFile() {
        void nextSink?.close().catch(() => undefined);
        nextSink = null;
        if (get().resultsFile.next !== null || get().resultsFile.error !== null) patch({ next: null, error: null });
      },

      useNextResultsFile(runId) {
        const sink = nextSink;
        if (sink === null || !runOf(runId)) return;
        nextSink = null;
        patch({ next: null });
        attach(runId, sink);
      },

      async reopenResultsFile(runId) {
        const port = deps.resultsFiles;
        const name = runOf(runId)?.resultsFile?.name;
        if (!port || name === undefined) return;
        const opening = port.open(name, 'add');
        patch({ busy: true, error: null });
        try {
          let sink: Sink | null;
          try {
            sink = await opening;
          } catch (e) {
            patch({ error: `“${name}” could not be opened: ${message(e)}` });
            return;
          }
          if (sink === null) return;
          // Which results the file has is read from the file itself: after a crash the run's own
          // list may be behind it (appended, not yet saved) or ahead of it.
          let lines: Pick<ResultsFileRecord, 'written' | 'failed'> | undefined;
          if (sink.existing !== null) {
            try {
              const parsed = await deps.files.readResults(sink.existing);
              const run = runOf(runId);
              lines = run ? inFile(run, parsed.results) : undefined;
            } catch (e) {
              await sink.close().catch(() => undefined);
              patch({ error: `“${sink.name}” could not be read back (${message(e)}); nothing was written to it.` });
              return;
            }
          }
          if (!runOf(runId)) {
            await sink.close().catch(() => undefined);
            return;
          }
          await release(runId).catch(() => undefined);
          attach(runId, sink, lines);
        } finally {
          patch({ busy: false });
        }
      },
    };
  };
}
