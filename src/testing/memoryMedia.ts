/**
 * An in-memory ProjectMedia for store tests (test support, not shipped). The real one is
 * adapters/storage/idbProjectMedia.ts (OPFS copies and FileSystemHandle references), tested on its
 * own and through the app in e2e.
 *
 * Files are kept as copies; `lose(projectId, key)` makes one missing (a moved file), `block`
 * makes one wait for permission until `requestAccess` (granted unless `refuse` is set),
 * `failCopies` makes every copy fail as a full disk would, and `failAfter` lets that many copies
 * (counted over the store's life, see `copies`) succeed before the disk is full.
 */
import type { MediaKeeping, MediaStatus, ProjectMedia } from '../core/project/media';
import { StorageQuotaError } from '../core/project/repository';

export interface MemoryMedia extends ProjectMedia<Blob, FileSystemHandle> {
  lose(projectId: string, key: string): void;
  block(projectId: string, key: string): void;
  refuse: boolean;
  failCopies: boolean;
  /** Copies made (`copies`) after which every copy fails as a full disk would; null: no limit. */
  failAfter: number | null;
  readonly copies: number;
  keys(projectId: string): string[];
}

export function memoryMedia(): MemoryMedia {
  const files = new Map<string, { file: Blob; keeping: MediaKeeping; blocked: boolean }>();
  const id = (projectId: string, key: string): string => `${projectId}\n${key}`;
  let copies = 0;
  const statusOf = (projectId: string, key: string): MediaStatus => {
    const f = files.get(id(projectId, key));
    if (!f) return { state: 'missing', reason: 'not kept in this browser' };
    if (f.blocked) return { state: 'needs-permission', keeping: 'reference' };
    return { state: 'available', keeping: f.keeping };
  };
  const media: MemoryMedia = {
    refuse: false,
    failCopies: false,
    failAfter: null,
    get copies() {
      return copies;
    },
    async copy(projectId, key, file) {
      if (media.failCopies || (media.failAfter !== null && copies >= media.failAfter)) throw new StorageQuotaError(`the file "${key}"`, file.size);
      copies++;
      files.set(id(projectId, key), { file, keeping: 'copy', blocked: false });
    },
    async reference(projectId, key, handle) {
      const file = await (handle as FileSystemFileHandle).getFile();
      files.set(id(projectId, key), { file, keeping: 'reference', blocked: false });
    },
    async referenceFolder() {
      throw new Error('memoryMedia keeps no folders');
    },
    async read(projectId, key) {
      const status = statusOf(projectId, key);
      if (status.state !== 'available') return { ok: false, status };
      return { ok: true, file: files.get(id(projectId, key))!.file, keeping: status.keeping };
    },
    async status(projectId, keys) {
      return new Map(keys.map((k) => [k, statusOf(projectId, k)]));
    },
    async requestAccess(projectId) {
      let granted = 0;
      let refused = 0;
      for (const [k, f] of files) {
        if (!k.startsWith(`${projectId}\n`) || !f.blocked) continue;
        if (media.refuse) refused++;
        else {
          f.blocked = false;
          granted++;
        }
      }
      return { granted, refused };
    },
    async removeProject(projectId) {
      for (const k of [...files.keys()]) if (k.startsWith(`${projectId}\n`)) files.delete(k);
    },
    async remove(projectId, key) {
      files.delete(id(projectId, key));
    },
    usage: async () => ({ usedBytes: [...files.values()].reduce((n, f) => n + f.file.size, 0), quotaBytes: 1e9 }),
    lose(projectId, key) {
      files.delete(id(projectId, key));
    },
    block(projectId, key) {
      const f = files.get(id(projectId, key));
      if (f) f.blocked = true;
    },
    keys: (projectId) => [...files.keys()].filter((k) => k.startsWith(`${projectId}\n`)).map((k) => k.slice(projectId.length + 1)),
  };
  return media;
}

const paired = new WeakMap<object, MemoryMedia>();

/** The media store that goes with a repository: two stores sharing a repository (a reload) share its files too. */
export function memoryMediaFor(projects: object): MemoryMedia {
  let media = paired.get(projects);
  if (!media) paired.set(projects, (media = memoryMedia()));
  return media;
}
