/**
 * ProjectRepository over IndexedDB (through `idb`); the schema is in studioDb.ts.
 *
 * A project's document is stored in parts: the project record (videos, open video, judgements),
 * each video's work, the QA items, and each review run. A save writes only the parts that changed.
 * Every part is immutable (a change makes a new object), so the repository remembers, per project,
 * the part objects it last wrote or read and compares by identity: an edit on one video of a
 * 1,000-video dataset writes that video's record, not the dataset, and an imported run of 10,000
 * results is not validated and written again on every edit. Parts it does not remember (a project
 * it has not loaded, or one just migrated from version 1) are all written.
 *
 * Every change that touches several stores runs in one readwrite transaction, and a failure
 * inside one aborts it, so a crash or a full disk never leaves half a save behind. Quota failures
 * (thrown by a request, or reported as the transaction's error when it aborts at commit) become
 * StorageQuotaError.
 */
import type { IDBPTransaction, StoreNames } from 'idb';
import { parseDocument, parseProjectMeta, parseVideoWork, videoFileName, type ProjectDocument, type ProjectMeta, type VideoWork } from '../../core/project/document';
import { StorageQuotaError, type ProjectRepository } from '../../core/project/repository';
import { checkItemLinks } from '../../core/qa/schemas';
import { parseQaItems } from '../../core/qa/itemSchema';
import type { QaItem } from '../../core/qa/model';
import type { ReviewRun } from '../../core/review/run';
import { parseRuns } from '../../core/review/runSchema';
import { DEFAULT_DB_NAME, projectRange, studioDbConnection, type StudioDb } from './studioDb';

export { DEFAULT_DB_NAME } from './studioDb';
const LAST_OPENED = 'lastOpened';
/**
 * How many projects' stored runs are remembered. Remembering keeps the run objects alive, so
 * only the few most recently used projects are (usually just the open one); a project that was
 * forgotten has its runs written again on its next save, which is correct, only slower.
 */
const MAX_REMEMBERED_PROJECTS = 3;

/** The project record of the `documents` store (version 3): the document without its parts stored apart. */
type ProjectRecord = Pick<ProjectDocument, 'version' | 'videos' | 'openVideoId' | 'judgements'>;

/** The part objects of a project as the database holds them (see the header). */
interface StoredParts {
  /** The whole project record, compared by its fields' identities. */
  record: ProjectRecord | null;
  /** By video id; null when not known (everything is written). */
  work: ReadonlyMap<string, VideoWork> | null;
  /** The QA items as the last save or load saw them (the array), and the chunks stored. */
  qa: { readonly items: readonly QaItem[]; readonly chunks: readonly (readonly QaItem[])[] } | null;
  runs: ReadonlyMap<string, ReviewRun>;
}

type Stores = StoreNames<StudioDb>;
type WriteTx<S extends Stores[]> = IDBPTransaction<StudioDb, S, 'readwrite'>;

export interface IdbProjectRepository extends ProjectRepository {
  /** How many parts the last save wrote and how long it took (the dataset benchmark reads it). */
  lastSaveStats(): { readonly writtenParts: number; readonly ms: number } | null;
  /** Closes the connection; a later call opens it again. */
  close(): void;
}

export interface IdbProjectRepositoryOptions {
  /** Milliseconds since the epoch, for createdAt/updatedAt. */
  readonly now?: () => number;
  readonly newId?: () => string;
}

/** True for the ways browsers report a full disk or an exceeded origin quota. */
function isQuotaError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  // 22: the legacy DOMException code; NS_ERROR_DOM_QUOTA_REACHED: old Firefox.
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || (error instanceof DOMException && code === 22);
}

function cleanName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new Error('A project name cannot be empty.');
  return trimmed;
}

function projectLabel(meta: ProjectMeta | undefined, id: string): string {
  return meta ? `project "${meta.name}" (${id})` : `project ${id}`;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * QA items are stored in chunks of this many, key [project id, chunk number]: an edit of one
 * item of a 1,169-item benchmark checks and writes its chunk, not the whole list.
 */
export const QA_CHUNK = 256;

function qaChunks(items: readonly QaItem[]): (readonly QaItem[])[] {
  const chunks: (readonly QaItem[])[] = [];
  for (let i = 0; i < items.length; i += QA_CHUNK) chunks.push(items.slice(i, i + QA_CHUNK));
  return chunks;
}

function sameItems(a: readonly QaItem[] | undefined, b: readonly QaItem[]): boolean {
  return a !== undefined && a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Oldest first, as the review lists them; the id settles runs made in the same millisecond. */
function byCreation(a: ReviewRun, b: ReviewRun): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function damaged(meta: ProjectMeta | undefined, id: string, error: string): Error {
  return new Error(`The saved annotations of ${projectLabel(meta, id)} cannot be read: ${error}. The record is damaged or was written by an incompatible version.`);
}

function unknownProject(id: string): Error {
  return new Error(`There is no project with id ${JSON.stringify(id)}: it may have been removed in another tab.`);
}

export function createIdbProjectRepository(dbName: string = DEFAULT_DB_NAME, options: IdbProjectRepositoryOptions = {}): IdbProjectRepository {
  const now = options.now ?? (() => Date.now());
  const newId = options.newId ?? (() => crypto.randomUUID());
  const database = studioDbConnection(dbName);
  const db = database.get;
  /**
   * By project, the parts the database holds for it as this repository last wrote or read them:
   * the very objects the app holds, so that an unchanged part is recognised by identity without
   * looking into it. Set only once a transaction has completed, so it never claims more than the
   * database has. Least recently used first.
   */
  const remembered = new Map<string, StoredParts>();

  function remember(id: string, parts: StoredParts): void {
    remembered.delete(id);
    remembered.set(id, parts);
    for (const oldest of remembered.keys()) {
      if (remembered.size <= MAX_REMEMBERED_PROJECTS) break;
      remembered.delete(oldest);
    }
  }

  /** What the last save wrote, for the dataset benchmark. */
  let lastSave: { writtenParts: number; ms: number } | null = null;

  /**
   * Runs and results validated before: the runs last stored and, for a run that changed (a batch
   * run as each item finishes), its earlier results.
   */
  function checkedRunsOf(known: StoredParts | undefined, given: readonly ReviewRun[]): Set<object> {
    const checked = new Set<object>(known?.runs.values());
    if (known === undefined) return checked;
    for (const r of given) {
      const before = known.runs.get(r.id);
      if (before !== undefined && before !== r) for (const result of before.results) checked.add(result);
    }
    return checked;
  }

  const partsOf = (doc: ProjectDocument): StoredParts => ({
    record: { version: doc.version, videos: doc.videos, openVideoId: doc.openVideoId, judgements: doc.judgements },
    work: new Map(Object.entries(doc.work)),
    qa: { items: doc.qaItems, chunks: qaChunks(doc.qaItems) },
    runs: new Map(doc.runs.map((r) => [r.id, r])),
  });

  /**
   * Runs `body` in one transaction over `stores` and waits for it to complete. If anything fails,
   * the transaction is aborted (none of its writes are kept) and the error rethrown; for a write,
   * a quota failure becomes StorageQuotaError describing `quota`.
   *
   * Inside `body`, await each request before making the next: a request made after another one
   * failed would throw synchronously and leave the first one's rejection unobserved.
   */
  async function run<S extends Stores[], M extends 'readonly' | 'readwrite', T>(
    stores: S,
    mode: M,
    quota: { readonly what: string; readonly bytes: number } | null,
    body: (tx: IDBPTransaction<StudioDb, S, M>) => Promise<T>,
  ): Promise<T> {
    const tx = (await db()).transaction(stores, mode);
    // Observed here so that an abort never surfaces as an unhandled rejection as well.
    const done = tx.done.then(
      () => null,
      (e: unknown) => e ?? new Error('The storage transaction failed.'),
    );
    try {
      const result = await body(tx);
      const failure = await done;
      if (failure !== null) throw failure;
      return result;
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // Already aborted by the failing request, or finished.
      }
      await done;
      // Requests of an aborted transaction fail with AbortError; the reason is the transaction's error.
      if (quota && (isQuotaError(error) || isQuotaError(tx.error))) throw new StorageQuotaError(quota.what, quota.bytes, { cause: tx.error ?? error });
      if (error instanceof DOMException && error.name === 'AbortError' && tx.error) throw tx.error;
      throw error;
    }
  }

  function write<S extends Stores[], T>(stores: S, quota: { readonly what: string; readonly bytes: number }, body: (tx: WriteTx<S>) => Promise<T>): Promise<T> {
    return run(stores, 'readwrite', quota, body);
  }

  async function requireMeta(store: { get(id: string): Promise<ProjectMeta | undefined> }, id: string): Promise<ProjectMeta> {
    const meta = await store.get(id);
    if (!meta) throw unknownProject(id);
    return meta;
  }

  /** A timestamp after `previous`, so that a save always moves the project to the top of the list. */
  function stamp(previous: number): number {
    return Math.max(now(), previous);
  }

  return {
    async list() {
      const all = await run(['projects'], 'readonly', null, (tx) => tx.objectStore('projects').getAll());
      // A record that is not a ProjectMeta (written by hand, or damaged) is left out rather than crash the list.
      const metas = all.map(parseProjectMeta).filter((m): m is ProjectMeta => m !== null);
      return metas.sort((a, b) => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },

    async create(name) {
      const clean = cleanName(name);
      const t = now();
      const meta: ProjectMeta = { id: newId(), name: clean, createdAt: t, updatedAt: t, videoName: null };
      await write(['projects'], { what: `the new project "${clean}"`, bytes: JSON.stringify(meta).length }, async (tx) => {
        await tx.objectStore('projects').add(meta);
      });
      return meta;
    },

    async rename(id, name) {
      const clean = cleanName(name);
      return write(['projects'], { what: `the name of project "${clean}"`, bytes: clean.length }, async (tx) => {
        const store = tx.objectStore('projects');
        const meta = await requireMeta(store, id);
        const renamed: ProjectMeta = { ...meta, name: clean, updatedAt: stamp(meta.updatedAt) };
        await store.put(renamed);
        return renamed;
      });
    },

    async remove(id) {
      await run(['projects', 'documents', 'work', 'qa', 'runs', 'videos', 'settings'], 'readwrite', null, async (tx) => {
        await tx.objectStore('projects').delete(id);
        await tx.objectStore('documents').delete(id);
        await tx.objectStore('work').delete(projectRange(id));
        await tx.objectStore('qa').delete(projectRange(id));
        await tx.objectStore('runs').delete(projectRange(id));
        await tx.objectStore('videos').delete(id);
        const settings = tx.objectStore('settings');
        if ((await settings.get(LAST_OPENED)) === id) await settings.delete(LAST_OPENED);
      });
      remembered.delete(id);
    },

    async loadDocument(id) {
      const stored = await run(['projects', 'documents', 'work', 'qa', 'runs'], 'readonly', null, async (tx) => {
        const work = tx.objectStore('work');
        return {
          meta: await tx.objectStore('projects').get(id),
          record: await tx.objectStore('documents').get(id),
          workKeys: await work.getAllKeys(projectRange(id)),
          work: await work.getAll(projectRange(id)),
          qa: await tx.objectStore('qa').getAll(projectRange(id)),
          runs: await tx.objectStore('runs').getAll(projectRange(id)),
        };
      });
      const { meta, record } = stored;
      if (record === undefined) return null;
      const runs = parseRuns(stored.runs);
      if (!runs.ok) throw damaged(meta, id, runs.error);
      const ordered = runs.runs.sort(byCreation);
      // A version 1 record holds everything itself (parseDocument migrates it); a version 3 one
      // is completed from the stores its parts live in.
      const legacy = isRecord(record) && record.version === 1;
      const json = isRecord(record) && !legacy ? { ...record, work: Object.fromEntries(stored.workKeys.map(([, videoId], i) => [videoId, stored.work[i]])), qaItems: stored.qa.flatMap((chunk) => (Array.isArray(chunk) ? (chunk as unknown[]) : [chunk])), runs: ordered } : isRecord(record) ? { ...record, runs: ordered } : record;
      // The runs were just checked: the document's parse takes them as they are.
      const parsed = parseDocument(json, { checkedRuns: new Set(ordered) });
      if (!parsed.ok) throw damaged(meta, id, parsed.error);
      const doc = parsed.doc;
      // After a migration only the runs are where version 3 keeps them: the first save writes the rest.
      remember(id, legacy ? { record: null, work: null, qa: null, runs: new Map(doc.runs.map((r) => [r.id, r])) } : partsOf(doc));
      return doc;
    },

    async saveDocument(id, doc) {
      const known = remembered.get(id);
      const started = performance.now();
      const given = doc;
      // Which parts differ from what the database holds (by identity; see the header).
      const workEntries = Object.entries(given.work);
      const changedWork = known?.work ? workEntries.filter(([videoId, w]) => known.work!.get(videoId) !== w) : workEntries;
      const goneWork = known?.work ? [...known.work.keys()].filter((videoId) => !(videoId in given.work)) : null;
      // QA items: the same array is unchanged; else the chunks whose items are not the same objects.
      const chunks = known?.qa?.items === given.qaItems ? known.qa.chunks : qaChunks(given.qaItems);
      const changedChunks = chunks.flatMap((chunk, k) => (sameItems(known?.qa?.chunks[k], chunk) ? [] : [k]));
      const qaChanged = known?.qa == null || changedChunks.length > 0 || known.qa.chunks.length !== chunks.length;
      const recordChanged =
        known?.record == null || known.record.videos !== given.videos || known.record.openVideoId !== given.openVideoId || known.record.judgements !== given.judgements;
      const linksChanged = qaChanged || recordChanged || changedWork.length > 0;

      // Validating guarantees that whatever is stored can be loaded again, and copies each part to
      // plain data (no stray fields that structured clone would choke on). Unchanged parts were
      // valid when stored and, being immutable, still are.
      const refuse = (error: string): never => {
        throw new Error(`Refusing to save an invalid document for project ${id}: ${error}`);
      };
      const work = new Map<string, VideoWork>();
      const videoIds = new Set(given.videos.map((v) => v.id));
      for (const [videoId, w] of changedWork) {
        if (!videoIds.has(videoId)) refuse(`work[${JSON.stringify(videoId)}] refers to video ${JSON.stringify(videoId)}, which is not in videos`);
        const parsed = parseVideoWork(w, `work[${JSON.stringify(videoId)}]`);
        if (!parsed.ok) refuse(parsed.error);
        else work.set(videoId, parsed.doc);
      }
      let record: ProjectRecord | null = null;
      if (recordChanged) {
        // The record alone, checked by the document's parser (its parts are checked above and below).
        const parsed = parseDocument({ version: given.version, videos: given.videos, openVideoId: given.openVideoId, work: {}, qaItems: [], runs: given.runs, judgements: given.judgements }, { checkedRuns: checkedRunsOf(known, given.runs) });
        if (!parsed.ok) refuse(parsed.error);
        else record = { version: parsed.doc.version, videos: parsed.doc.videos, openVideoId: parsed.doc.openVideoId, judgements: parsed.doc.judgements };
      } else if (given.judgements !== known?.record?.judgements) {
        refuse('judgements changed without the record');
      }
      const qa = new Map<number, QaItem[]>();
      for (const k of changedChunks) {
        const parsed = parseQaItems(chunks[k]);
        // Positions in the messages are the item's place in the whole list.
        if (!parsed.ok) refuse(parsed.error.replace(/^qaItems\[(\d+)\]/, (_m, i: string) => `qaItems[${k * QA_CHUNK + Number(i)}]`));
        else qa.set(k, parsed.items);
      }
      if (qaChanged) {
        const ids = new Set<string>();
        given.qaItems.forEach((item, i) => {
          if (ids.has(item.id)) refuse(`qaItems[${i}].id ${JSON.stringify(item.id)} is used by an earlier item`);
          ids.add(item.id);
        });
      }
      if (linksChanged) {
        const problem = checkItemLinks(given.qaItems, given);
        if (problem !== null) refuse(problem);
      }
      const runs = parseRuns(given.runs, 'runs', { checked: checkedRunsOf(known, given.runs) });
      if (!runs.ok) refuse(runs.error);
      const checkedRuns = runs.ok ? runs.runs : [];
      // parseRuns keeps the order, so checkedRuns[i] is given.runs[i] (itself when it was checked, else a copy).
      const changedRuns = new Map<string, ReviewRun>();
      // What is written, measured only if the disk turns out to be full: serialising a 10,000-result
      // run just for the message would cost more than the write.
      const written: object[] = [...(record ? [record] : []), ...work.values(), ...qa.values()];
      checkedRuns.forEach((r, i) => {
        if (known?.runs.get(r.id) === given.runs[i]) return;
        changedRuns.set(r.id, r);
        written.push(r);
      });
      const quota = {
        what: `the annotations of project ${id}`,
        get bytes(): number {
          return written.reduce((n, v) => n + JSON.stringify(v).length, 0);
        },
      };
      await write(['projects', 'documents', 'work', 'qa', 'runs'], quota, async (tx) => {
        const projects = tx.objectStore('projects');
        const meta = await requireMeta(projects, id);
        quota.what = `the annotations of project "${meta.name}"`;
        const runStore = tx.objectStore('runs');
        // Keys only: cheap however many results the runs hold.
        const present = new Set((await runStore.getAllKeys(projectRange(id))).map(([, runId]) => runId));
        const keep = new Set(checkedRuns.map((r) => r.id));
        for (const runId of present) if (!keep.has(runId)) await runStore.delete([id, runId]);
        for (const r of checkedRuns) {
          let value = changedRuns.get(r.id);
          // Unchanged here but not in the database (another tab deleted it, or its key was
          // damaged): written again, rebuilt as plain data like any run that is saved.
          if (value === undefined && !present.has(r.id)) {
            const again = parseRuns([r]);
            if (!again.ok) refuse(again.error);
            else value = again.runs[0]!;
            if (value) written.push(value);
          }
          if (value !== undefined) await runStore.put(value, [id, r.id]);
        }
        const workStore = tx.objectStore('work');
        // Not known: whatever the store holds for videos the document does not have goes.
        const gone = goneWork ?? (await workStore.getAllKeys(projectRange(id))).map(([, videoId]) => videoId).filter((videoId) => !(videoId in given.work));
        for (const videoId of gone) await workStore.delete([id, videoId]);
        for (const [videoId, w] of work) await workStore.put(w, [id, videoId]);
        const qaStore = tx.objectStore('qa');
        for (const [k, chunk] of qa) await qaStore.put(chunk, [id, k]);
        // Chunks past the end (items were deleted): not known, the store says which there are.
        const stale = known?.qa != null ? known.qa.chunks.length : (await qaStore.getAllKeys(projectRange(id))).length;
        for (let k = chunks.length; k < stale; k++) await qaStore.delete([id, k]);
        if (record) await tx.objectStore('documents').put(record, id);
        const open = given.videos.find((v) => v.id === given.openVideoId) ?? given.videos[0];
        const updated: ProjectMeta = { ...meta, updatedAt: stamp(meta.updatedAt), videoName: open ? videoFileName(open) : null, videoCount: given.videos.length };
        await projects.put(updated);
      });
      remember(id, { ...partsOf(given), qa: { items: given.qaItems, chunks } });
      lastSave = { writtenParts: written.length, ms: performance.now() - started };
    },

    lastSaveStats() {
      return lastSave;
    },

    async getLastOpened() {
      const found = await run(['settings', 'projects'], 'readonly', null, async (tx) => {
        const last = await tx.objectStore('settings').get(LAST_OPENED);
        return typeof last === 'string' ? await tx.objectStore('projects').getKey(last) : undefined;
      });
      return found ?? null;
    },

    async setLastOpened(id) {
      await write(['settings', 'projects'], { what: 'the last opened project', bytes: id.length }, async (tx) => {
        await requireMeta(tx.objectStore('projects'), id);
        await tx.objectStore('settings').put(id, LAST_OPENED);
      });
    },

    close: database.close,
  };
}
