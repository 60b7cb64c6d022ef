/**
 * An in-memory ProjectRepository for store tests (test support, not shipped). The real one is
 * adapters/storage/idbProjectRepository.ts, tested on its own and through the app in e2e.
 */
import type { ProjectDocument, ProjectMeta } from '../core/project/document';
import type { ProjectRepository } from '../core/project/repository';

export function memoryProjects(): ProjectRepository<Blob> & { readonly saves: number } {
  const metas = new Map<string, ProjectMeta>();
  const docs = new Map<string, ProjectDocument>();
  const videos = new Map<string, { file: Blob; name: string }>();
  let last: string | null = null;
  let n = 0;
  let saves = 0;
  const touch = (id: string, extra: Partial<ProjectMeta> = {}): ProjectMeta => {
    const meta = metas.get(id);
    if (!meta) throw new Error(`No project ${id}`);
    const next = { ...meta, ...extra, updatedAt: meta.updatedAt + 1 };
    metas.set(id, next);
    return next;
  };
  return {
    get saves() {
      return saves;
    },
    list: async () => [...metas.values()].sort((a, b) => b.updatedAt - a.updatedAt),
    async create(name) {
      const id = `p${++n}`;
      const meta = { id, name, createdAt: n, updatedAt: n, videoName: null };
      metas.set(id, meta);
      return meta;
    },
    rename: async (id, name) => touch(id, { name }),
    async remove(id) {
      metas.delete(id);
      docs.delete(id);
      videos.delete(id);
      if (last === id) last = null;
    },
    loadDocument: async (id) => docs.get(id) ?? null,
    async saveDocument(id, doc) {
      touch(id, { videoName: doc.video?.name ?? null });
      docs.set(id, doc);
      saves++;
    },
    async saveVideo(id, file, name) {
      touch(id);
      videos.set(id, { file, name });
    },
    loadVideo: async (id) => videos.get(id) ?? null,
    getLastOpened: async () => (last !== null && metas.has(last) ? last : null),
    async setLastOpened(id) {
      last = id;
    },
  };
}
