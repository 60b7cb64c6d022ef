/**
 * An in-memory ProjectRepository for store tests (test support, not shipped). The real one is
 * adapters/storage/idbProjectRepository.ts, tested on its own and through the app in e2e.
 *
 * It behaves like the real one where the store can tell: a document is validated on save (an
 * invalid one is refused), judgements of runs the document does not have are dropped, runs load
 * ordered by creation then id, and a run is written again only when it is a different object
 * from the one last saved or loaded (`runWrites` counts them, so a slice test can check that an
 * unchanged run keeps its identity).
 */
import { parseDocument, type ProjectDocument, type ProjectMeta } from '../core/project/document';
import type { ProjectRepository } from '../core/project/repository';
import type { ReviewRun } from '../core/review/run';

const byCreation = (a: ReviewRun, b: ReviewRun): number => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function memoryProjects(): ProjectRepository & { readonly saves: number; readonly runWrites: number } {
  const metas = new Map<string, ProjectMeta>();
  const docs = new Map<string, ProjectDocument>();
  /** By project: the run objects last saved or loaded, by run id (as the IDB repository keeps them). */
  const storedRuns = new Map<string, ReadonlyMap<string, ReviewRun>>();
  let last: string | null = null;
  let n = 0;
  let saves = 0;
  let runWrites = 0;
  const touch = (id: string, extra: Partial<ProjectMeta> = {}): ProjectMeta => {
    const meta = metas.get(id);
    if (!meta) throw new Error(`No project ${id}`);
    const next = { ...meta, ...extra, updatedAt: meta.updatedAt + 1 };
    metas.set(id, next);
    return next;
  };
  const remember = (id: string, runs: readonly ReviewRun[]): void => {
    storedRuns.set(id, new Map(runs.map((r) => [r.id, r])));
  };
  return {
    get saves() {
      return saves;
    },
    get runWrites() {
      return runWrites;
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
      storedRuns.delete(id);
      if (last === id) last = null;
    },
    async loadDocument(id) {
      const doc = docs.get(id);
      if (doc === undefined) return null;
      const loaded = { ...doc, runs: [...doc.runs].sort(byCreation) };
      remember(id, loaded.runs);
      return loaded;
    },
    async saveDocument(id, doc) {
      const known = storedRuns.get(id);
      const parsed = parseDocument(doc, { checkedRuns: new Set(known?.values()) });
      if (!parsed.ok) throw new Error(`Refusing to save an invalid document for project ${id}: ${parsed.error}`);
      touch(id, { videoName: (doc.videos.find((v) => v.id === doc.openVideoId) ?? doc.videos[0])?.path ?? null, videoCount: doc.videos.length });
      runWrites += doc.runs.filter((r) => known?.get(r.id) !== r).length;
      docs.set(id, parsed.doc);
      remember(id, doc.runs);
      saves++;
    },
    getLastOpened: async () => (last !== null && metas.has(last) ? last : null),
    async setLastOpened(id) {
      last = id;
    },
  };
}
