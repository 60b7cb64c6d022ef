/**
 * Set-up of the IndexedDB repository tests (Node, fake-indexeddb): a repository over a database
 * no other test uses, what a save put where, and the raw records of a project read straight from
 * the database (as another build, or the dev tools, would see them).
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { vi } from 'vitest';
import { createIdbProjectRepository, type IdbProjectRepository } from '../adapters/storage/idbProjectRepository';

let dbCounter = 0;
const opened: IdbProjectRepository[] = [];

/** A database name no other test uses. */
export function freshDbName(prefix = 'test'): string {
  return `${prefix}-${Date.now()}-${dbCounter++}`;
}

/** A repository over `dbName`, closed by `closeRepositories`. */
export function repositoryOver(dbName: string, now?: () => number): IdbProjectRepository {
  const repo = createIdbProjectRepository(dbName, now ? { now } : {});
  opened.push(repo);
  return repo;
}

/** A repository over a fresh database, with a clock that ticks 1 ms per reading. */
export function fresh(): { repo: IdbProjectRepository; dbName: string } {
  const dbName = freshDbName();
  let t = 1_000;
  return { repo: repositoryOver(dbName, () => t++), dbName };
}

/** For afterEach. */
export function closeRepositories(): void {
  for (const repo of opened.splice(0)) repo.close();
}

/** The puts per object store while `body` runs, and the keys they were given (out-of-line keys). */
export async function recordPuts(body: () => Promise<void>): Promise<{ counts: Record<string, number>; keys: Record<string, unknown[]> }> {
  const counts: Record<string, number> = {};
  const keys: Record<string, unknown[]> = {};
  const spy = vi.spyOn(IDBObjectStore.prototype, 'put');
  try {
    await body();
    spy.mock.contexts.forEach((store, i) => {
      const name = (store as IDBObjectStore).name;
      counts[name] = (counts[name] ?? 0) + 1;
      (keys[name] ??= []).push(spy.mock.calls[i]![1]);
    });
    return { counts, keys };
  } finally {
    spy.mockRestore();
  }
}

/** The puts per object store while `body` runs. */
export async function countPuts(body: () => Promise<void>): Promise<Record<string, number>> {
  return (await recordPuts(body)).counts;
}

/** Records of a store keyed by [project id, x], by x. */
async function rawByProject(dbName: string, store: 'runs' | 'work', id: string): Promise<Map<string, unknown>> {
  const db = await openDB(dbName);
  try {
    const range = IDBKeyRange.bound([id], [id, []]);
    const [keys, values] = await Promise.all([db.getAllKeys(store, range), db.getAll(store, range)]);
    return new Map(keys.map((k, i) => [(k as [string, string])[1], values[i]]));
  } finally {
    db.close();
  }
}

/** The raw run records of a project, by run id. */
export const rawRuns = (dbName: string, id: string): Promise<Map<string, unknown>> => rawByProject(dbName, 'runs', id);

/** The raw work records of a project, by video id. */
export const rawWork = (dbName: string, id: string): Promise<Map<string, unknown>> => rawByProject(dbName, 'work', id);

export interface RawRecords {
  readonly meta: unknown;
  readonly document: unknown;
  /** The QA items, from all their chunks (undefined: none stored). */
  readonly qa: unknown;
  /** The one video a project of the one-video era kept, as a Blob. */
  readonly video: unknown;
}

/** Reads the raw records of a project keyed by its id straight from the database. */
export async function rawRecords(dbName: string, id: string): Promise<RawRecords> {
  const db = await openDB(dbName);
  try {
    // A database of an earlier schema (not opened by the repository yet) has no qa store.
    const qaStore = db.objectStoreNames.contains('qa') ? 'qa' : null;
    const range = IDBKeyRange.bound([id], [id, []]);
    const [meta, document, chunks, video] = await Promise.all([db.get('projects', id), db.get('documents', id), qaStore ? db.getAll(qaStore, range) : [], db.get('videos', id)]);
    // QA items are stored in chunks: the list they make, or undefined when there is none.
    const qa = chunks.length === 0 ? undefined : (chunks as unknown[][]).flat();
    return { meta, document, qa, video };
  } finally {
    db.close();
  }
}
