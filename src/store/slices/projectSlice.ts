/**
 * Projects: everything the user makes is saved to the repository (IndexedDB in the browser) as
 * they work, and the last project is reopened at start-up, video included. A project is one video
 * and its annotations; opening another video starts a new project. A failed save (e.g. no space
 * left) is shown and retried on the next change; nothing in memory is lost.
 */
import type { StateCreator } from 'zustand';
import { EMPTY_ANNOTATIONS, type AnnotationDoc } from '../../core/annotation/model';
import type { VideoInfo, VideoRequest } from '../../core/ports';
import { DOCUMENT_VERSION, type ProjectDocument, type ProjectMeta, type VideoRef } from '../../core/project/document';
import { settleRun } from '../../core/review/batch';
import type { Judgements, ReviewRun } from '../../core/review/run';
import type { AppState } from '../appStore';
import type { AppDeps } from '../deps';

export interface ProjectSlice {
  project: {
    readonly current: ProjectMeta | null;
    readonly list: readonly ProjectMeta[];
    readonly status: 'idle' | 'saving' | 'saved' | 'error';
    /** Why the last save failed (cleared by the next successful save). */
    readonly saveError: string | null;
    /** Other problems with projects (opening, storing the video, renaming...). */
    readonly error: string | null;
    /** The current project's video is not stored in this browser: the user must open the file again. */
    readonly missingVideo: VideoRef | null;
  };
  /** At start-up: reopen the last project, or open `fallback` (the sample) in a new project. */
  startup(fallback: VideoRequest<Blob> | null): Promise<void>;
  /** Called by the video slice when the user opened a video (not when a project restores one). */
  videoOpened(file: Blob, info: VideoInfo): Promise<void>;
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
  /** A new project from an imported document (and its video), then opened. */
  restoreProject(name: string, document: ProjectDocument, video: { readonly file: Blob; readonly name: string } | null): Promise<void>;
}

/** A save waits for this long without changes... */
const SAVE_DELAY_MS = 400;
/**
 * ...but never longer than this after the first unsaved change: a streaming answer changes the
 * store every few hundred milliseconds, and a pure debounce would then never save at all.
 */
const SAVE_MAX_WAIT_MS = 1000;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function videoRef(info: VideoInfo, stored: boolean): VideoRef {
  return {
    name: info.name,
    byteLength: info.byteLength ?? 0,
    width: info.width,
    height: info.height,
    frameCount: info.frameCount,
    fps: info.fps,
    durationS: info.durationS,
    stored,
  };
}

export function createProjectSlice(deps: AppDeps): StateCreator<AppState, [], [], ProjectSlice> {
  return (set, get) => {
    const patch = (p: Partial<ProjectSlice['project']>): void => set((s) => ({ project: { ...s.project, ...p } }));
    const repo = deps.projects;
    let timer: ReturnType<typeof setTimeout> | null = null;
    /** When the oldest change not yet saved was made (null: nothing waits). */
    let dirtySince: number | null = null;
    /** What the current project's document says about its video (kept across saves). */
    let video: VideoRef | null = null;
    let saving: Promise<void> = Promise.resolve();

    const documentNow = (): ProjectDocument => {
      const a: AnnotationDoc = get().annotation.history.present;
      return { version: DOCUMENT_VERSION, video, instances: a.instances, activeId: a.activeId, frames: a.frames, queries: get().ask.queries, masklets: get().propagation.masklets, propagationRun: get().propagation.pending, qaItems: get().qa.history.present, runs: get().review.runs, judgements: get().review.judgements };
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
        // The annotations on screen still belong to the project that was open: save them first.
        await get().saveNow();
        const state = get().project;
        const missing = state.missingVideo;
        // The file the user was asked for: attach it to the current project, keep the annotations.
        if (state.current && missing && missing.name === info.name && missing.byteLength === info.byteLength) {
          patch({ missingVideo: null });
          await storeVideo(state.current, file, info);
          return;
        }
        try {
          const meta = await repo.create(info.name);
          get().loadAnnotations(EMPTY_ANNOTATIONS);
          get().loadQueries([]);
          get().loadMasklets({});
          get().loadQaItems([]);
          loadReview([], {});
          patch({ current: meta, missingVideo: null });
          video = videoRef(info, false);
          await repo.setLastOpened(meta.id);
          await storeVideo(meta, file, info);
        } catch (e) {
          patch({ error: `Could not create a project for “${info.name}”: ${message(e)}` });
        }
        await get().refreshProjects();
      },

      async openProject(id) {
        await get().saveNow();
        const doc = await repo.loadDocument(id);
        const meta = (await repo.list()).find((p) => p.id === id);
        if (!meta) return false;
        const stored = await repo.loadVideo(id);
        if (stored) {
          const ok = await get().openVideo({ kind: 'file', file: stored.file, name: stored.name }, { restoring: true });
          if (!ok) patch({ error: `The stored video of “${meta.name}” could not be opened.` });
        } else {
          get().closeVideo();
        }
        video = doc?.video ?? null;
        get().loadAnnotations(doc ? { instances: doc.instances, activeId: doc.activeId, frames: doc.frames } : EMPTY_ANNOTATIONS);
        get().loadQueries(doc?.queries ?? []);
        get().loadMasklets(doc?.masklets ?? {}, doc?.propagationRun ?? null);
        get().loadQaItems(doc?.qaItems ?? []);
        loadReview(doc?.runs ?? [], doc?.judgements ?? {});
        patch({ current: meta, status: 'saved', missingVideo: !stored && video ? video : null });
        await repo.setLastOpened(id);
        await get().refreshProjects();
        return true;
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
          if (get().project.current?.id === id) {
            if (timer !== null) clearTimeout(timer);
            timer = null;
            dirtySince = null;
            video = null;
            get().closeVideo();
            get().loadAnnotations(EMPTY_ANNOTATIONS);
            get().loadQueries([]);
            get().loadMasklets({});
            get().loadQaItems([]);
            loadReview([], {});
            patch({ current: null, missingVideo: null, status: 'idle' });
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

      async restoreProject(name, document, videoFile) {
        await get().saveNow();
        const meta = await repo.create(name);
        let stored = false;
        if (videoFile && document.video) {
          try {
            await repo.saveVideo(meta.id, videoFile.file, videoFile.name);
            stored = true;
          } catch (e) {
            patch({ error: `The imported video is not kept in this browser (${message(e)}); open it again to see it.` });
          }
        }
        const doc: ProjectDocument = document.video ? { ...document, video: { ...document.video, stored } } : document;
        await repo.saveDocument(meta.id, doc);
        await get().openProject(meta.id);
      },
    };

    /** Stores the video file; without space, the project keeps working and says the file must be reopened later. */
    async function storeVideo(meta: ProjectMeta, file: Blob, info: VideoInfo): Promise<void> {
      try {
        await repo.saveVideo(meta.id, file, info.name);
        video = videoRef(info, true);
      } catch (e) {
        video = videoRef(info, false);
        patch({ error: `The video itself is not kept in this browser (${message(e)}); your annotations are. Next time, open “${info.name}” again to continue.` });
      }
      await get().saveNow();
    }
  };
}
