/**
 * The port through which the app keeps a user's projects. The browser implementation is
 * `adapters/storage/idbProjectRepository.ts` (IndexedDB). The files of a project (videos, prompt
 * images) are kept by its media store (media.ts), not here.
 *
 * Every write is atomic: after a failure (including running out of space) the repository holds
 * exactly what it held before the call.
 */
import type { ProjectDocument, ProjectMeta } from './document';

export interface ProjectRepository {
  /** Every project, the most recently updated first. */
  list(): Promise<ProjectMeta[]>;
  /** A new, empty project (no document, no video). Throws on an empty name. */
  create(name: string): Promise<ProjectMeta>;
  /** Throws when there is no such project or the name is empty. */
  rename(id: string, name: string): Promise<ProjectMeta>;
  /** Removes the project with its document (its media store is told apart); nothing happens for an unknown id. */
  remove(id: string): Promise<void>;
  /**
   * The saved document, or null when the project has none yet (or does not exist). Throws an Error
   * naming the project when the stored record is not a valid document.
   */
  loadDocument(id: string): Promise<ProjectDocument | null>;
  /**
   * Replaces the document, writing only the parts that changed since the repository last wrote
   * or read them (see idbProjectRepository.ts); also sets the project's `updatedAt`, `videoName`
   * and `videoCount`. Throws StorageQuotaError when there is not enough space, and an Error for an
   * unknown project or an invalid document.
   */
  saveDocument(id: string, doc: ProjectDocument): Promise<void>;
  /** The project to reopen at start-up; null when none was set or it has been removed. */
  getLastOpened(): Promise<string | null>;
  setLastOpened(id: string): Promise<void>;
}

/** "1.5 MB": byte counts for messages. */
export function formatByteSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'an unknown amount of data';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/**
 * The browser refused a write for lack of storage space. The write was rolled back as a whole,
 * so whatever was saved before is still there.
 */
export class StorageQuotaError extends Error {
  override readonly name = 'StorageQuotaError';

  /**
   * @param what What was being saved, for the message (e.g. `the video "clip.mp4"`).
   * @param bytes About how many bytes were being written.
   */
  constructor(
    readonly what: string,
    readonly bytes: number,
    options?: ErrorOptions,
  ) {
    super(
      `Not enough storage space to save ${what} (${formatByteSize(bytes)}). Nothing was changed: earlier saves are intact. ` +
        'Free some space (for example, remove projects you no longer need, or their stored videos) and try again.',
      options,
    );
  }
}
