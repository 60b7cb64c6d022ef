/**
 * The app's IndexedDB database: one schema for the project repository and the project media
 * store, which share it (a project's removal and its files' bookkeeping belong together).
 *
 * Schema, version 3:
 *   projects   ProjectMeta, keyPath "id"
 *   documents  the project record: { version, videos, openVideoId, judgements }, key: project id.
 *              Records of version 1 (one video, everything in it) are still read and migrated
 *              in memory; the first save writes them as version 3.
 *   work       one video's VideoWork, key: [project id, video id] (version 3)
 *   qa         the project's QA items in chunks (QA_CHUNK), key: [project id, chunk number] (version 3)
 *   runs       ReviewRun, key: [project id, run id] (version 2)
 *   videos     { blob, name }: the one video a version 1/2 project kept, key: project id. Read
 *              only now (a `legacy` media file); new files go to OPFS or stay references.
 *   media      MediaRecord, key: [project id, media key or "folder:<prefix>"] (version 3)
 *   settings   small values by name ("lastOpened")
 *
 * The upgrade from version 2 only adds stores: nothing is rewritten at upgrade time, so a large
 * old database opens at once and a failure cannot leave it half converted.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ProjectMeta } from '../../core/project/document';

export const DEFAULT_DB_NAME = 'videoseeker-studio';
export const DB_VERSION = 3;

export interface StoredVideo {
  readonly blob: Blob;
  readonly name: string;
}

export interface StudioDb extends DBSchema {
  projects: { key: string; value: ProjectMeta };
  /** Validated when read: another build may have written it. */
  documents: { key: string; value: unknown };
  work: { key: [string, string]; value: unknown };
  qa: { key: [string, number]; value: unknown };
  runs: { key: [string, string]; value: unknown };
  videos: { key: string; value: StoredVideo };
  media: { key: [string, string]; value: unknown };
  settings: { key: string; value: unknown };
}

/** Every key of a project in a store keyed by [project id, ...]: arrays sort after strings. */
export function projectRange(id: string): IDBKeyRange {
  return IDBKeyRange.bound([id], [id, []]);
}

export interface StudioDbConnection {
  get(): Promise<IDBPDatabase<StudioDb>>;
  close(): void;
}

/** A lazily opened connection that steps aside when a newer build in another tab upgrades. */
export function studioDbConnection(dbName: string = DEFAULT_DB_NAME): StudioDbConnection {
  let connection: Promise<IDBPDatabase<StudioDb>> | null = null;
  const close = (): void => {
    const current = connection;
    connection = null;
    void current?.then(
      (d) => d.close(),
      () => undefined,
    );
  };
  return {
    get() {
      connection ??= openDB<StudioDb>(dbName, DB_VERSION, {
        upgrade(database, oldVersion) {
          if (oldVersion < 1) {
            database.createObjectStore('projects', { keyPath: 'id' });
            database.createObjectStore('documents');
            database.createObjectStore('videos');
            database.createObjectStore('settings');
          }
          // Version 2: review runs, apart from the document.
          if (oldVersion < 2) database.createObjectStore('runs');
          // Version 3: projects are datasets; per-video work, QA items and media bookkeeping apart.
          if (oldVersion < 3) {
            database.createObjectStore('work');
            database.createObjectStore('qa');
            database.createObjectStore('media');
          }
        },
        blocking() {
          close();
        },
        terminated() {
          connection = null;
        },
      }).catch((e: unknown) => {
        connection = null;
        throw e;
      });
      return connection;
    },
    close,
  };
}
