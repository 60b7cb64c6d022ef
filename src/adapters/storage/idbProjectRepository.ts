/**
 * ProjectRepository over IndexedDB (through `idb`).
 *
 * Schema, version 2:
 *   projects   ProjectMeta, keyPath "id"
 *   documents  ProjectDocument without its runs, as a structured-cloneable object, key: project id
 *   runs       ReviewRun, key: [project id, run id] (added in version 2)
 *   videos     { blob, name }, key: project id
 *   settings   small values by name ("lastOpened")
 *
 * Runs are kept apart from the document because an imported run can hold 10,000 results: the
 * document is saved after every edit, and writing (and validating, and measuring) such a run each
 * time would make every edit slow. Runs are immutable, so the repository remembers, per project,
 * which run objects it last wrote or read; a save writes only runs that are new or are different
 * objects, and deletes the ones the document no longer has, all in the document's transaction.
 *
 * Every change that touches several stores runs in one readwrite transaction, and a failure
 * inside one aborts it, so a crash or a full disk never leaves half a save behind. Quota failures
 * (thrown by a request, or reported as the transaction's error when it aborts at commit) become
 * StorageQuotaError.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { parseDocument, parseProjectMeta, type ProjectDocument, type ProjectMeta } from '../../core/project/document';
import { StorageQuotaError, type ProjectRepository } from '../../core/project/repository';
import type { ReviewRun } from '../../core/review/run';
import { parseRuns } from '../../core/review/runSchema';

export const DEFAULT_DB_NAME = 'videoseeker-studio';
const DB_VERSION = 2;
const LAST_OPENED = 'lastOpened';
/**
 * How many projects' stored runs are remembered. Remembering keeps the run objects alive, so
 * only the few most recently used projects are (usually just the open one); a project that was
 * forgotten has its runs written again on its next save, which is correct, only slower.
 */
const MAX_REMEMBERED_PROJECTS = 3;

interface StoredVideo {
  readonly blob: Blob;
  readonly name: string;
}

interface StudioDb extends DBSchema {
  projects: { key: string; value: ProjectMeta };
  /** Validated with parseDocument when read: it may have been written by another build. */
  documents: { key: string; value: unknown };
  /** Validated with parseRuns when read. */
  runs: { key: [string, string]; value: unknown };
  videos: { key: string; value: StoredVideo };
  settings: { key: string; value: unknown };
}

type Stores = StoreNames<StudioDb>;
type WriteTx<S extends Stores[]> = IDBPTransaction<StudioDb, S, 'readwrite'>;

export interface IdbProjectRepository extends ProjectRepository<Blob> {
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

/** Every run key of a project: arrays sort after strings, so [id, []] is above every [id, runId]. */
function projectRuns(id: string): IDBKeyRange {
  return IDBKeyRange.bound([id], [id, []]);
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
  let connection: Promise<IDBPDatabase<StudioDb>> | null = null;
  /**
   * By project, the runs the `runs` store holds for it as this repository last wrote or read them,
   * by run id: the very objects the app holds, so that an unchanged run is recognised by identity
   * without looking at its results. Set only once a transaction has completed, so it never claims
   * more than the database has. Least recently used first.
   */
  const remembered = new Map<string, ReadonlyMap<string, ReviewRun>>();

  function remember(id: string, runs: readonly ReviewRun[]): void {
    remembered.delete(id);
    remembered.set(id, new Map(runs.map((r) => [r.id, r])));
    for (const oldest of remembered.keys()) {
      if (remembered.size <= MAX_REMEMBERED_PROJECTS) break;
      remembered.delete(oldest);
    }
  }

  function db(): Promise<IDBPDatabase<StudioDb>> {
    connection ??= openDB<StudioDb>(dbName, DB_VERSION, {
      upgrade(database, oldVersion) {
        if (oldVersion < 1) {
          database.createObjectStore('projects', { keyPath: 'id' });
          database.createObjectStore('documents');
          database.createObjectStore('videos');
          database.createObjectStore('settings');
        }
        // Version 2: review runs, apart from the document. The stores of version 1 are kept as
        // they are; their documents have no runs, which parseDocument reads as none.
        if (oldVersion < 2) database.createObjectStore('runs');
      },
      // A newer build in another tab wants to upgrade: let it, and reopen on the next call.
      blocking() {
        closeConnection();
      },
      terminated() {
        connection = null;
      },
    }).catch((e: unknown) => {
      connection = null;
      throw e;
    });
    return connection;
  }

  function closeConnection(): void {
    const current = connection;
    connection = null;
    void current?.then(
      (d) => d.close(),
      () => undefined,
    );
  }

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
      await run(['projects', 'documents', 'runs', 'videos', 'settings'], 'readwrite', null, async (tx) => {
        await tx.objectStore('projects').delete(id);
        await tx.objectStore('documents').delete(id);
        await tx.objectStore('runs').delete(projectRuns(id));
        await tx.objectStore('videos').delete(id);
        const settings = tx.objectStore('settings');
        if ((await settings.get(LAST_OPENED)) === id) await settings.delete(LAST_OPENED);
      });
      remembered.delete(id);
    },

    async loadDocument(id) {
      const { meta, stored, storedRuns } = await run(['projects', 'documents', 'runs'], 'readonly', null, async (tx) => ({
        meta: await tx.objectStore('projects').get(id),
        stored: await tx.objectStore('documents').get(id),
        storedRuns: await tx.objectStore('runs').getAll(projectRuns(id)),
      }));
      if (stored === undefined) return null;
      const runs = parseRuns(storedRuns);
      if (!runs.ok) throw damaged(meta, id, runs.error);
      const ordered = runs.runs.sort(byCreation);
      // The runs were just checked: the document's parse takes them as they are.
      const parsed = parseDocument(isRecord(stored) ? { ...stored, runs: ordered } : stored, { checkedRuns: new Set(ordered) });
      if (!parsed.ok) throw damaged(meta, id, parsed.error);
      remember(id, parsed.doc.runs);
      return parsed.doc;
    },

    async saveDocument(id, doc) {
      const known = remembered.get(id);
      // The runs as last stored are valid and, being immutable, still are: not checked again. For
      // a run that changed (a batch run as each item finishes), its earlier results are too.
      const given: readonly unknown[] = Array.isArray(doc.runs) ? doc.runs : [];
      const checked = new Set<object>(known?.values());
      if (known !== undefined) {
        for (const r of given) {
          const before = isRecord(r) && typeof r.id === 'string' ? known.get(r.id) : undefined;
          if (before !== undefined && before !== r) for (const result of before.results) checked.add(result);
        }
      }
      // Validating first guarantees that whatever is stored can be loaded again, and copies the
      // document to plain data (no stray fields that structured clone would choke on).
      const parsed = parseDocument(doc, { checkedRuns: checked });
      if (!parsed.ok) throw new Error(`Refusing to save an invalid document for project ${id}: ${parsed.error}`);
      const { runs, ...rest } = parsed.doc;
      const record: Omit<ProjectDocument, 'runs'> = rest;
      // parseRuns keeps the order, so runs[i] is given[i] (itself when it was checked, else a copy).
      const changed = new Map<string, ReviewRun>();
      // What is written, measured only if the disk turns out to be full: serialising a 10,000-result
      // run just for the message would cost more than the write.
      const written: object[] = [record];
      runs.forEach((r, i) => {
        if (known?.get(r.id) === given[i]) return;
        changed.set(r.id, r);
        written.push(r);
      });
      const quota = {
        what: `the annotations of project ${id}`,
        get bytes(): number {
          return written.reduce((n, v) => n + JSON.stringify(v).length, 0);
        },
      };
      await write(['projects', 'documents', 'runs'], quota, async (tx) => {
        const projects = tx.objectStore('projects');
        const meta = await requireMeta(projects, id);
        quota.what = `the annotations of project "${meta.name}"`;
        const runStore = tx.objectStore('runs');
        // Keys only: cheap however many results the runs hold.
        const present = new Set((await runStore.getAllKeys(projectRuns(id))).map(([, runId]) => runId));
        const keep = new Set(runs.map((r) => r.id));
        for (const runId of present) if (!keep.has(runId)) await runStore.delete([id, runId]);
        for (const r of runs) {
          let value = changed.get(r.id);
          // Unchanged here but not in the database (another tab deleted it, or its key was
          // damaged): written again, rebuilt as plain data like any run that is saved.
          if (value === undefined && !present.has(r.id)) {
            const again = parseRuns([r]);
            if (!again.ok) throw new Error(`Refusing to save an invalid document for project ${id}: ${again.error}`);
            value = again.runs[0]!;
            written.push(value);
          }
          if (value !== undefined) await runStore.put(value, [id, r.id]);
        }
        const updated: ProjectMeta = { ...meta, updatedAt: stamp(meta.updatedAt), videoName: record.video?.name ?? null };
        await tx.objectStore('documents').put(record, id);
        await projects.put(updated);
      });
      remember(id, given as readonly ReviewRun[]);
    },

    async saveVideo(id, file, name) {
      const quota = { what: `the video "${name}"`, bytes: file.size };
      await write(['projects', 'videos'], quota, async (tx) => {
        const projects = tx.objectStore('projects');
        const meta = await requireMeta(projects, id);
        quota.what = `the video "${name}" of project "${meta.name}"`;
        const video: StoredVideo = { blob: file, name };
        await tx.objectStore('videos').put(video, id);
        await projects.put({ ...meta, updatedAt: stamp(meta.updatedAt) });
      });
    },

    async loadVideo(id) {
      const { meta, stored } = await run(['projects', 'videos'], 'readonly', null, async (tx) => ({
        meta: await tx.objectStore('projects').get(id),
        stored: await tx.objectStore('videos').get(id),
      }));
      if (stored === undefined) return null;
      const value: unknown = stored;
      if (typeof value !== 'object' || value === null || !((value as StoredVideo).blob instanceof Blob) || typeof (value as StoredVideo).name !== 'string') {
        throw new Error(`The stored video of ${projectLabel(meta, id)} cannot be read: the record is damaged. Open the video file again.`);
      }
      return { file: (value as StoredVideo).blob, name: (value as StoredVideo).name };
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

    close: closeConnection,
  };
}
