/**
 * Projects: everything the user makes is saved to the repository (IndexedDB in the browser) as
 * they work, and the last project is reopened at start-up, with its open video. A project is a
 * dataset of videos (datasetSlice); a video the user opens is added to the open project (the
 * first one makes a project). A failed save (e.g. no space left) is shown and retried on the next
 * change; nothing in memory is lost.
 */
import type { StateCreator } from 'zustand';
import type { VideoInfo, VideoRequest } from '../../core/ports';
import { DOCUMENT_VERSION, emptyDocument, videoFileName, videoMediaKey, type ProjectDocument, type ProjectMeta, type ProjectVideo } from '../../core/project/document';
import { settleRun } from '../../core/review/batch';
import type { Judgements, ReviewRun } from '../../core/review/run';
import type { AppState } from '../appStore';
import type { AppDeps, MediaHandle } from '../deps';
import type { ProjectFileSource } from './datasetSlice';

export interface ProjectSlice {
  project: {
    readonly current: ProjectMeta | null;
    readonly list: readonly ProjectMeta[];
    readonly status: 'idle' | 'saving' | 'saved' | 'error';
    /** Why the last save failed (cleared by the next successful save). */
    readonly saveError: string | null;
    /** Other problems with projects (opening, storing the video, renaming...). */
    readonly error: string | null;
    /** The open video of the project, when its file is not available: the user must open it again (or reconnect). */
    readonly missingVideo: ProjectVideo | null;
  };
  /** At start-up: reopen the last project, or open `fallback` (the sample) in a new project. */
  startup(fallback: VideoRequest<Blob> | null): Promise<void>;
  /** Called by the video slice when the user opened a video (not when a project restores one): it joins the project. */
  videoOpened(file: Blob, info: VideoInfo): Promise<void>;
  /** A new, empty project, opened. */
  newProject(name: string): Promise<void>;
  openProject(id: string): Promise<boolean>;
  renameProject(id: string, name: string): Promise<void>;
  deleteProject(id: string): Promise<void>;
  refreshProjects(): Promise<void>;
  /** Saves soon (debounced); the store calls it on every annotation change. */
  scheduleSave(): void;
  saveNow(): Promise<void>;
  dismissProjectError(): void;
  /** The current project's document as it would be saved now. */
  projectDocument(): ProjectDocument;
  /**
   * A new project from a dataset that was picked (a folder or archive), then opened: its files are
   * referenced through the folder's handle, or copied in the background (see keepProjectFiles).
   */
  createDatasetProject(name: string, document: ProjectDocument, source: { readonly folder: MediaHandle | null; readonly files: readonly ProjectFileSource[] }): Promise<void>;
  /** A new project from an imported document and its files (by media key), then opened. */
  restoreProject(name: string, document: ProjectDocument, files: readonly { readonly key: string; readonly file: Blob }[]): Promise<void>;
}

/** A save waits for this long without changes... */
const SAVE_DELAY_MS = 400;
/**
 * ...but never longer than this after the first unsaved change: a streaming answer changes the
 * store every few hundred milliseconds, and a pure debounce would then never save at all.
 */
const SAVE_MAX_WAIT_MS = 1000;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function createProjectSlice(deps: AppDeps): StateCreator<AppState, [], [], ProjectSlice> {
  return (set, get) => {
    const patch = (p: Partial<ProjectSlice['project']>): void => set((s) => ({ project: { ...s.project, ...p } }));
    const repo = deps.projects;
    let timer: ReturnType<typeof setTimeout> | null = null;
    /** When the oldest change not yet saved was made (null: nothing waits). */
    let dirtySince: number | null = null;
    let saving: Promise<void> = Promise.resolve();
    /** A project is being opened (saves wait; see scheduleSave). */
    let opening = false;
    let changedWhileOpening = false;

    const documentNow = (): ProjectDocument => {
      const d = get().dataset;
      return { version: DOCUMENT_VERSION, videos: d.videos, openVideoId: d.openVideoId, work: get().datasetWork(), qaItems: get().qa.history.present, runs: get().review.runs, judgements: get().review.judgements };
    };

    /** Batch runs of the project that was open stop; runs read back that were running show as interrupted. */
    const loadReview = (runs: readonly ReviewRun[], judgements: Judgements): void => {
      get().abortBatches();
      get().loadReview(runs.map(settleRun), judgements);
    };

    const save = async (): Promise<void> => {
      const current = get().project.current;
      if (current === null) return;
      patch({ status: 'saving' });
      try {
        await repo.saveDocument(current.id, documentNow());
        // Changes made while this save was written are not in it yet: their save is on its way.
        patch({ status: dirtySince === null ? 'saved' : 'saving', saveError: null });
      } catch (e) {
        patch({ status: 'error', saveError: `Not saved: ${message(e)}` });
      }
    };

    return {
      project: { current: null, list: [], status: 'idle', saveError: null, error: null, missingVideo: null },

      async startup(fallback) {
        try {
          const last = await repo.getLastOpened();
          if (last !== null && (await get().openProject(last))) return;
        } catch (e) {
          patch({ error: `Could not reopen the last project: ${message(e)}` });
        }
        if (fallback) await get().openVideo(fallback);
        await get().refreshProjects();
      },

      async videoOpened(file, info) {
        // The work on screen still belongs to the video that was open: save it first.
        await get().saveNow();
        let project = get().project.current;
        if (project === null) {
          try {
            project = await repo.create(info.name);
          } catch (e) {
            patch({ error: `Could not create a project for “${info.name}”: ${message(e)}` });
            return;
          }
          loadProjectState(project, emptyDocument());
          await repo.setLastOpened(project.id).catch(() => undefined);
        }
        const size = info.byteLength ?? file.size;
        // The file a missing video of the project is waiting for: it takes its place, work kept. A
        // video never opened (one of an imported dataset) has no size yet: its name decides when
        // no other such video has that name.
        const candidates = get().dataset.videos.filter((v) => videoFileName(v) === info.name && get().dataset.availability[v.id]?.state !== 'available');
        const unsized = candidates.filter((v) => v.byteLength === null);
        const waiting = candidates.find((v) => v.byteLength === size) ?? (unsized.length === 1 ? unsized[0] : undefined);
        const video = waiting ?? get().registerVideo(info.name);
        get().activateVideo(video.id);
        get().recordVideoFacts(video.id, info, size);
        patch({ missingVideo: null });
        await get().saveNow();
        await get().keepVideoFile(video, file, null);
        await get().refreshProjects();
      },

      async newProject(name) {
        await get().saveNow();
        try {
          const meta = await repo.create(name);
          get().closeVideo();
          loadProjectState(meta, emptyDocument());
          await repo.saveDocument(meta.id, documentNow());
          await repo.setLastOpened(meta.id);
        } catch (e) {
          patch({ error: `Could not create the project: ${message(e)}` });
        }
        await get().refreshProjects();
      },

      async openProject(id) {
        await get().saveNow();
        const doc = await repo.loadDocument(id);
        const meta = (await repo.list()).find((p) => p.id === id);
        if (!meta) return false;
        opening = true;
        changedWhileOpening = false;
        try {
          return await openLoaded(id, meta, doc);
        } finally {
          opening = false;
          // What changed meanwhile (facts learnt from the video, settled runs, the user's edits) is saved now.
          if (changedWhileOpening) get().scheduleSave();
        }
      },

      async renameProject(id, name) {
        try {
          const meta = await repo.rename(id, name);
          if (get().project.current?.id === id) patch({ current: meta });
        } catch (e) {
          patch({ error: `Could not rename the project: ${message(e)}` });
        }
        await get().refreshProjects();
      },

      async deleteProject(id) {
        try {
          await repo.remove(id);
          await deps.media.removeProject(id).catch(() => undefined);
          if (get().project.current?.id === id) {
            if (timer !== null) clearTimeout(timer);
            timer = null;
            dirtySince = null;
            get().closeVideo();
            loadProjectState(null, emptyDocument());
            patch({ status: 'idle' });
          }
        } catch (e) {
          patch({ error: `Could not delete the project: ${message(e)}` });
        }
        await get().refreshProjects();
      },

      async refreshProjects() {
        try {
          patch({ list: await repo.list() });
        } catch (e) {
          patch({ error: `Could not list projects: ${message(e)}` });
        }
      },

      scheduleSave() {
        if (get().project.current === null) return;
        // A project being opened is put into the store in steps; what they change is what is stored.
        if (opening) {
          changedWhileOpening = true;
          return;
        }
        if (timer !== null) clearTimeout(timer);
        const now = Date.now();
        dirtySince ??= now;
        if (get().project.status !== 'saving') patch({ status: 'saving' });
        timer = setTimeout(() => {
          timer = null;
          dirtySince = null;
          saving = saving.then(save);
        }, Math.max(0, Math.min(SAVE_DELAY_MS, dirtySince + SAVE_MAX_WAIT_MS - now)));
      },

      async saveNow() {
        if (timer !== null) {
          clearTimeout(timer);
          timer = null;
        }
        dirtySince = null;
        saving = saving.then(save);
        await saving;
      },

      dismissProjectError() {
        patch({ error: null });
      },

      projectDocument() {
        return documentNow();
      },

      async createDatasetProject(name, document, source) {
        await get().saveNow();
        const meta = await repo.create(name);
        await repo.saveDocument(meta.id, document);
        // Started before the project opens: its first video is read from the pick while copies are made.
        const keeping = get().keepProjectFiles(meta.id, source);
        if (source.folder !== null) await keeping;
        await get().openProject(meta.id);
        void keeping.then(() => get().refreshAvailability());
      },

      async restoreProject(name, document, files) {
        await get().saveNow();
        const meta = await repo.create(name);
        const problems: string[] = [];
        for (const f of files) {
          try {
            await deps.media.copy(meta.id, f.key, f.file);
          } catch (e) {
            problems.push(`“${f.key}” is not kept in this browser (${message(e)})`);
          }
        }
        await repo.saveDocument(meta.id, document);
        await get().openProject(meta.id);
        if (problems.length > 0) patch({ error: `${problems.join('; ')}. Open those files again to see them; the rest of the project is kept.` });
      },
    };

    /** The rest of openProject, while saves wait: the loaded document into the store, its open video opened. */
    async function openLoaded(id: string, meta: ProjectMeta, doc: ProjectDocument | null): Promise<boolean> {
      const document = doc ?? emptyDocument();
      // Review runs come in once the open video is shown: a run read back as interrupted must not
      // be resumed before its video can serve frames.
      loadProjectState(meta, { ...document, runs: [], judgements: {} });
      const open = document.videos.find((v) => v.id === document.openVideoId) ?? null;
      let missing: ProjectVideo | null = null;
      if (open) {
        const read = await get().readProjectFile(videoMediaKey(open));
        if (read.ok) {
          const ok = await get().openVideo({ kind: 'file', file: read.file, name: videoFileName(open) }, { restoring: true });
          if (!ok) patch({ error: `The video “${open.path}” of “${meta.name}” could not be opened.` });
          else {
            const info = get().video.info;
            if (info) get().recordVideoFacts(open.id, info, read.file.size);
          }
        } else {
          get().closeVideo();
          missing = open;
        }
      } else {
        get().closeVideo();
      }
      loadReview(document.runs, document.judgements);
      patch({ status: 'saved', missingVideo: missing });
      await repo.setLastOpened(id);
      void get().refreshAvailability();
      await get().refreshProjects();
      return true;
    }

    /** Puts a project's document into the slices (no video opened). */
    function loadProjectState(meta: ProjectMeta | null, doc: ProjectDocument): void {
      get().loadDataset(doc.videos, doc.openVideoId, doc.work);
      get().loadQaItems(doc.qaItems);
      loadReview(doc.runs, doc.judgements);
      patch({ current: meta, missingVideo: null });
    }
  };
}
