/**
 * The project's videos. A project is a dataset: many videos, one of them open. The open video's
 * work (objects, prompts, masks, questions, propagated masks) lives in the annotation, ask and
 * propagation slices, where the tools edit it; the others' work waits here (`stash`) as the
 * immutable objects the document is saved from. Switching videos moves the open one's work into
 * the stash and the chosen one's out, keeping each video's undo history and frame for the session.
 *
 * Only the open video holds a decoder and frames (the video slice); the others are metadata, so
 * memory does not grow with the number of videos. Work on other videos' frames (exports, batch
 * runs) goes through a small pool of decoders (core/schedule/videoPool). Their files are kept by the media store
 * (AppDeps.media): a reference to the user's file or folder where the browser allows, else a copy
 * in the browser's private file system.
 */
import type { StateCreator } from 'zustand';
import type { History } from '../../core/annotation/history';
import { EMPTY_ANNOTATIONS, type AnnotationDoc } from '../../core/annotation/model';
import type { EncodedImage } from '../../core/agent/ports';
import type { FrameEncodeOptions, VideoInfo } from '../../core/ports';
import { EMPTY_WORK, isEmptyWork, videoFileName, videoMediaKey, type ProjectVideo, type VideoWork } from '../../core/project/document';
import type { MediaRead, MediaStatus, StorageUse } from '../../core/project/media';
import { DEFAULT_VIDEO_VIEW, type VideoListView } from '../../core/project/videoList';
import { StorageQuotaError } from '../../core/project/repository';
import { settleQuery } from './askSlice';
import type { AppState } from '../appStore';
import type { AppDeps, MediaHandle } from '../deps';
import { importLimits } from '../../core/formats/zipPaths';
import { VideoPool, type TaskPriority } from '../../core/schedule/videoPool';

/** A file of a picked folder or archive, read when needed. */
export interface ProjectFileSource {
  /** Its media key (`videos/…`, `frames/…`). */
  readonly key: string;
  readonly size: number;
  blob(): Promise<Blob>;
}

/** A video file the user picked, dropped or downloaded, with a handle when the browser gave one. */
export interface PickedVideo {
  readonly file: Blob;
  /** Its path in the dataset ("Source/name.mp4"), or its file name. */
  readonly path: string;
  readonly handle: MediaHandle | null;
}

export interface DatasetSlice {
  dataset: {
    readonly videos: readonly ProjectVideo[];
    readonly openVideoId: string | null;
    /** The work of every video but the open one, by video id. */
    readonly stash: Readonly<Record<string, VideoWork>>;
    /** Where each video's file stands, by video id (absent: not checked yet). */
    readonly availability: Readonly<Record<string, MediaStatus>>;
    /** A video being opened from the list. */
    readonly switching: string | null;
    /** Why the last video could not be opened or kept. */
    readonly message: string | null;
    readonly storage: StorageUse | null;
    /** The Videos panel's search and sort. */
    readonly view: VideoListView;
    /** Files being copied into the browser in the background (a dataset picked without a folder handle). */
    readonly copying: { readonly done: number; readonly total: number } | null;
    /** How many videos besides the open one may have a decoder at once (kept on this machine). */
    readonly poolSize: number;
  };
  /**
   * A file of the open project: from the media store, or, while its copy into the browser is still
   * on its way, from the file the user picked (kept for this session).
   */
  readProjectFile(key: string): Promise<MediaRead<Blob>>;
  /**
   * Keeps a new project's files: a reference to the picked folder where there is a handle, else a
   * copy of each file, made in the background (the project is usable at once; files not copied
   * yet are read from the pick). A full disk stops the copying and says so; nothing is lost.
   */
  keepProjectFiles(projectId: string, source: { readonly folder: MediaHandle | null; readonly files: readonly ProjectFileSource[] }): Promise<void>;
  /** Opens one of the project's videos, keeping the open one's work. Resolves false when it could not be opened (said in `dataset.message`). */
  switchVideo(id: string, options?: { readonly frame?: number }): Promise<boolean>;
  setVideoView(view: Partial<VideoListView>): void;
  /**
   * Videos the user added from the Videos panel (files or a folder of them): they join the project
   * (a new one if none is open) and their files are kept; the first is opened when none is.
   */
  addVideoFiles(picked: readonly PickedVideo[]): Promise<void>;
  /**
   * "Add a folder of videos" with the browser's directory picker: its videos join the project as
   * references to the folder (nothing copied). False where the browser has no picker (the caller
   * uses a folder `<input>`). Call from a click.
   */
  pickVideoFolder(): Promise<boolean>;
  /** Checks where every video's file stands, and the storage used. */
  refreshAvailability(): Promise<void>;
  /** Asks the browser (from a click) to let the app read the project's folders and files again. */
  reconnectMedia(): Promise<void>;
  dismissDatasetMessage(): void;
  /** Reads what the browser says of the storage used and allowed. */
  refreshStorage(): Promise<void>;
  /** The work of every video as it would be saved now (the open one's from its slices). */
  datasetWork(): Readonly<Record<string, VideoWork>>;
  /** Replaces the work of a video that is not open (masks imported onto it); not undoable: undo is the open video's. */
  setStashedWork(id: string, work: VideoWork): void;
  /** Replaces the videos and their work (a project was opened or created); opens nothing. */
  loadDataset(videos: readonly ProjectVideo[], openVideoId: string | null, work: Readonly<Record<string, VideoWork>>): void;
  /** Adds a video entry to the project at once (its path made unique); its file is kept by `keepVideoFile`. */
  registerVideo(path: string): ProjectVideo;
  /** Keeps a video's file for the project: a reference when there is a handle, else a copy. Failures are said, never thrown. */
  keepVideoFile(video: ProjectVideo, file: Blob, handle: MediaHandle | null): Promise<boolean>;
  /** Adds videos to the project, keeping their files; returns their entries. */
  addProjectVideos(picked: readonly PickedVideo[]): Promise<ProjectVideo[]>;
  /** The open video's entry learns what opening it told (size, frames, duration). */
  recordVideoFacts(id: string, info: VideoInfo, byteLength: number | null): void;
  /** The video slice is about to show another video: the open one's frame is remembered for when it comes back. */
  leavingVideo(): void;
  /** Makes `id` the open video and loads its work (its file was opened by the caller). */
  activateVideo(id: string): void;
  /**
   * Runs `task` with frames of a project video: the open video's own source, or a decoder of the
   * pool (opened for the call and closed after it, unless a batch run holds the pool). Calls about
   * one video take turns, so a video is never decoded twice at once, and at most `poolSize`
   * decoders besides the open video's exist. Rejects with a clear message when the video's file is
   * not available or cannot be decoded.
   */
  withVideoFrames<T>(videoId: string, task: (frames: VideoFrames) => Promise<T>, priority?: TaskPriority): Promise<T>;
  setVideoPoolSize(n: number): void;
  /** The decoder pool behind withVideoFrames, for a batch run: hold it open, keep the videos of items in flight. */
  videoPool(): DatasetVideoPool;
}

export type DatasetVideoPool = Pick<VideoPool<unknown>, 'hold' | 'keep' | 'openVideos' | 'forgetFailures'>;

export const DEFAULT_POOL_SIZE = 2;
export const MAX_POOL_SIZE = 8;
const POOL_KEY = 'videoseeker.videoPool.v1';

function clampPoolSize(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) ? Math.min(MAX_POOL_SIZE, Math.max(1, Math.round(n))) : DEFAULT_POOL_SIZE;
}

/** A decoder of the pool: frames of one video, and how to let it go. */
interface PooledVideo {
  readonly frames: VideoFrames;
  close(): void;
}

/** Frames of one video for processing (exports, asks about items of other videos). */
export interface VideoFrames {
  readonly info: VideoInfo;
  /** Presentation timestamps in seconds. */
  readonly timestamps: readonly number[];
  encodeFrames(indices: readonly number[], options: FrameEncodeOptions): Promise<EncodedImage[]>;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The files a folder of videos contributes. */
const VIDEO_FILE = /\.(mp4|m4v|mov|webm|mkv)$/i;

let videoCounter = 0;
export const newVideoId = (): string => `video-${Date.now().toString(36)}-${(videoCounter++).toString(36)}`;

/** "clip.mp4", "clip (2).mp4", ...: a path no video of `taken` has. */
export function uniquePath(path: string, taken: ReadonlySet<string>): string {
  if (!taken.has(path)) return path;
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  const [stem, ext] = dot > slash + 1 ? [path.slice(0, dot), path.slice(dot)] : [path, ''];
  for (let n = 2; ; n++) {
    const candidate = `${stem} (${n})${ext}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export function describeMediaStatus(status: MediaStatus | undefined): string {
  if (status === undefined) return 'Not checked yet';
  if (status.state === 'available') return status.keeping === 'reference' ? 'Linked to your file' : status.keeping === 'copy' ? 'Copy in this browser' : 'Stored in this browser';
  if (status.state === 'needs-permission') return 'Waiting for permission';
  return `Missing: ${status.reason}`;
}

export function createDatasetSlice(deps: AppDeps): StateCreator<AppState, [], [], DatasetSlice> {
  return (set, get) => {
    const patch = (p: Partial<DatasetSlice['dataset']>): void => set((s) => ({ dataset: { ...s.dataset, ...p } }));
    /** Each video's undo history and frame, kept while the project stays open. */
    const sessions = new Map<string, { history: History<AnnotationDoc>; frame: number }>();

    /** The frame the open video showed when another one replaced it on screen. */
    let leftAt: { id: string; frame: number } | null = null;

    /** The open video's work, from its slices; the same object while none of its parts changes. */
    let lastWork: VideoWork | null = null;
    const openWork = (): VideoWork => {
      const a = get().annotation.history.present;
      const queries = get().ask.queries;
      const masklets = get().propagation.masklets;
      const pending = get().propagation.pending;
      const w = lastWork;
      if (w && w.instances === a.instances && w.activeId === a.activeId && w.frames === a.frames && w.queries === queries && w.masklets === masklets && (w.propagationRun ?? null) === pending) return w;
      lastWork = { instances: a.instances, activeId: a.activeId, frames: a.frames, queries, masklets, ...(pending !== null ? { propagationRun: pending } : {}) };
      return lastWork;
    };

    const loadWork = (id: string, work: VideoWork): void => {
      const kept = sessions.get(id);
      const doc: AnnotationDoc = { instances: work.instances, activeId: work.activeId, frames: work.frames };
      const p = kept?.history.present;
      if (kept && p && p.instances === doc.instances && p.activeId === doc.activeId && p.frames === doc.frames) get().loadAnnotations(doc, kept.history);
      else get().loadAnnotations(work.instances.length === 0 && Object.keys(work.frames).length === 0 ? EMPTY_ANNOTATIONS : doc);
      get().loadQueries(work.queries);
      get().loadMasklets(work.masklets, work.propagationRun ?? null);
    };

    /** Moves the open video's work into the stash (questions still streaming are stopped there). */
    const stashOpen = (): Readonly<Record<string, VideoWork>> => {
      const openId = get().dataset.openVideoId;
      const stash = get().dataset.stash;
      if (openId === null) return stash;
      const w = openWork();
      const settled = w.queries.some((q) => q.trajectory.status === 'running' || q.trajectory.status === 'preparing') ? { ...w, queries: w.queries.map((q) => settleQuery(q, 'another video was opened')) } : w;
      const { [openId]: _old, ...others } = stash;
      const next: Record<string, VideoWork> = isEmptyWork(settled) ? others : { ...others, [openId]: settled };
      sessions.set(openId, { history: get().annotation.history, frame: leftAt?.id === openId ? leftAt.frame : get().video.frameIndex });
      leftAt = null;
      return next;
    };

    /** Picked files whose copy is not made yet, by project and key (this session only). */
    const pendingFiles = new Map<string, Map<string, ProjectFileSource>>();
    /**
     * Why copying a project's files stopped, by project, while that project was not open: a copy
     * can fail before the new project has even opened (a full disk, a browser that cannot copy).
     * Said when the project is open (refreshAvailability runs whenever one opens).
     */
    const unsaid = new Map<string, string>();
    /** How far copying each project's files has come, by project (shown while that project is open). */
    const copyProgress = new Map<string, { readonly done: number; readonly total: number }>();

    /** The open video's decoder as a pool member that the pool never closes. */
    const openDecoder = (videoId: string): PooledVideo | null => {
      const open = get().video.info;
      if (videoId !== get().dataset.openVideoId || open === null) return null;
      // The open video's decoder serves the call while that video stays open; if the user
      // opens another one meanwhile, what is left fails rather than read the wrong video.
      const sourceId = get().video.sourceId;
      return {
        frames: {
          info: open,
          timestamps: get().video.timestamps,
          encodeFrames: (indices, options) => (get().video.sourceId === sourceId ? get().encodeFrames(indices, options) : Promise.reject(new Error(`Another video was opened while frames of “${open.name}” were needed.`))),
        },
        close: () => undefined,
      };
    };

    /** Opens a decoder of a project video that is not open, saying why when it cannot. */
    const openPooled = async (videoId: string): Promise<PooledVideo> => {
      const project = get().project.current;
      const video = get().dataset.videos.find((v) => v.id === videoId);
      if (project === null || !video) throw new Error('The video is no longer in the project.');
      const read = await get().readProjectFile(videoMediaKey(video));
      if (!read.ok) throw new Error(read.status.state === 'needs-permission' ? `“${video.path}” waits for permission to be read again (choose “Reconnect files”).` : `“${video.path}” is not available: ${read.status.reason}`);
      const outcome = await deps.videoOpener.open({ kind: 'file', file: read.file, name: videoFileName(video) }, () => undefined);
      if (!outcome.ok) throw new Error(`“${video.path}” cannot be opened: ${outcome.error.message}`);
      const source = outcome.source;
      // A file that goes away while its decoder is open fails here: the message names the video.
      const encodeFrames = (indices: readonly number[], options: FrameEncodeOptions): Promise<EncodedImage[]> =>
        source.encodeFrames(indices, options).catch((e: unknown) => Promise.reject(new Error(`“${video.path}” could not be read: ${message(e)}`)));
      return { frames: { info: source.info, timestamps: source.timestamps, encodeFrames }, close: () => source.close() };
    };

    const poolSize = clampPoolSize(deps.preferences.load(POOL_KEY));
    const pool = new VideoPool<PooledVideo>({ open: openPooled, close: (v) => v.close(), borrowed: openDecoder }, poolSize);

    return {
      dataset: { videos: [], openVideoId: null, stash: {}, availability: {}, switching: null, message: null, storage: null, copying: null, view: DEFAULT_VIDEO_VIEW, poolSize },

      datasetWork() {
        const { openVideoId, stash } = get().dataset;
        if (openVideoId === null) return stash;
        const w = openWork();
        if (isEmptyWork(w)) {
          if (!(openVideoId in stash)) return stash;
          const { [openVideoId]: _old, ...rest } = stash;
          return rest;
        }
        return stash[openVideoId] === w ? stash : { ...stash, [openVideoId]: w };
      },

      setStashedWork(id, work) {
        if (id === get().dataset.openVideoId) throw new Error('The open video’s work is changed through its own slices.');
        const { [id]: _old, ...others } = get().dataset.stash;
        patch({ stash: isEmptyWork(work) ? others : { ...others, [id]: work } });
      },

      loadDataset(videos, openVideoId, work) {
        sessions.clear();
        // Decoders of the project that was open go (busy ones when their call ends).
        pool.reset();
        const { [openVideoId ?? '']: open, ...rest } = work;
        patch({ videos, openVideoId, stash: openVideoId === null ? work : rest, availability: {}, switching: null, message: null, copying: null });
        const w = openVideoId === null ? EMPTY_WORK : (open ?? EMPTY_WORK);
        get().loadAnnotations(w.instances.length === 0 && Object.keys(w.frames).length === 0 ? EMPTY_ANNOTATIONS : { instances: w.instances, activeId: w.activeId, frames: w.frames });
        get().loadQueries(w.queries);
        get().loadMasklets(w.masklets, w.propagationRun ?? null);
        lastWork = null;
      },

      async switchVideo(id, options) {
        const { videos, openVideoId } = get().dataset;
        const video = videos.find((v) => v.id === id);
        if (!video) return false;
        if (id === openVideoId && get().video.info !== null) {
          if (options?.frame !== undefined) get().seek(options.frame);
          return true;
        }
        const project = get().project.current;
        if (project === null) return false;
        patch({ switching: id, message: null });
        const read = await get().readProjectFile(videoMediaKey(video));
        if (get().dataset.switching !== id) return false;
        if (!read.ok) {
          patch({ switching: null, availability: { ...get().dataset.availability, [id]: read.status }, message: read.status.state === 'needs-permission' ? `“${video.path}” is in a folder this browser needs your permission to read again: choose “Reconnect files”.` : `“${video.path}” cannot be opened: ${read.status.reason}` });
          return false;
        }
        const opened = await get().openVideo({ kind: 'file', file: read.file, name: videoFileName(video) }, { restoring: true });
        if (get().dataset.switching !== id) return opened;
        if (!opened) {
          const why = get().video.openError?.message ?? 'the file could not be decoded';
          patch({ switching: null, message: `“${video.path}” cannot be opened: ${why}`, videos: get().dataset.videos.map((v) => (v.id === id ? { ...v, problem: why } : v)) });
          return false;
        }
        get().activateVideo(id);
        const info = get().video.info;
        if (info) get().recordVideoFacts(id, info, read.file.size);
        patch({ switching: null, availability: { ...get().dataset.availability, [id]: { state: 'available', keeping: read.keeping } } });
        const frame = options?.frame ?? sessions.get(id)?.frame;
        if (frame !== undefined && frame > 0) get().seek(frame);
        // Switching is one deliberate step: saved at once, so the project reopens on this video.
        void get().saveNow();
        return true;
      },

      leavingVideo() {
        const id = get().dataset.openVideoId;
        if (id !== null && get().video.info !== null) leftAt = { id, frame: get().video.frameIndex };
      },

      activateVideo(id) {
        // The open video's decoder serves it from now on: the pool's own goes.
        pool.drop(id);
        const { [id]: chosen, ...stash } = stashOpen();
        const work = chosen ?? EMPTY_WORK;
        patch({ openVideoId: id, stash });
        loadWork(id, work);
        lastWork = null;
      },

      recordVideoFacts(id, info, byteLength) {
        const facts = { width: info.width, height: info.height, frameCount: info.frameCount, fps: info.fps, durationS: info.durationS };
        const videos = get().dataset.videos;
        const v = videos.find((x) => x.id === id);
        if (!v) return;
        const f = v.facts;
        const same = f && f.width === facts.width && f.height === facts.height && f.frameCount === facts.frameCount && f.fps === facts.fps && f.durationS === facts.durationS;
        if (same && v.problem === null && (byteLength === null || v.byteLength === byteLength)) return;
        patch({ videos: videos.map((x) => (x.id === id ? { ...x, facts, problem: null, byteLength: byteLength ?? x.byteLength } : x)) });
      },

      registerVideo(path) {
        const taken = new Set(get().dataset.videos.map((v) => v.path));
        const video: ProjectVideo = { id: newVideoId(), path: uniquePath(path, taken), byteLength: null, facts: null, problem: null };
        patch({ videos: [...get().dataset.videos, video] });
        return video;
      },

      async keepVideoFile(video, file, handle) {
        const project = get().project.current;
        if (project === null) return false;
        const setStatus = (status: MediaStatus): void => patch({ availability: { ...get().dataset.availability, [video.id]: status } });
        try {
          if (handle !== null) await deps.media.reference(project.id, videoMediaKey(video), handle);
          else await deps.media.copy(project.id, videoMediaKey(video), file);
          if (get().project.current?.id === project.id) setStatus({ state: 'available', keeping: handle !== null ? 'reference' : 'copy' });
          return true;
        } catch (e) {
          if (get().project.current?.id !== project.id) return false;
          setStatus({ state: 'missing', reason: `not kept in this browser (${message(e)})` });
          patch({ message: `The video “${video.path}” itself is not kept in this browser (${message(e)}); its work is. Next time, open the file again to continue.` });
          return false;
        } finally {
          void get().refreshStorage();
        }
      },

      async addProjectVideos(picked) {
        const added = picked.map((p) => {
          const v = get().registerVideo(p.path);
          return { ...v, byteLength: p.file.size };
        });
        const byId = new Map(added.map((v) => [v.id, v]));
        patch({ videos: get().dataset.videos.map((v) => byId.get(v.id) ?? v) });
        for (let i = 0; i < picked.length; i++) await get().keepVideoFile(added[i]!, picked[i]!.file, picked[i]!.handle);
        return added;
      },

      async refreshAvailability() {
        const project = get().project.current;
        if (project === null) return;
        // What copying this project's files came to, also while it was not open (see keepProjectFiles).
        const note = unsaid.get(project.id);
        unsaid.delete(project.id);
        patch({ copying: copyProgress.get(project.id) ?? null, ...(note !== undefined ? { message: note } : {}) });
        const videos = get().dataset.videos;
        try {
          const status = await deps.media.status(project.id, videos.map(videoMediaKey));
          if (get().project.current?.id !== project.id) return;
          const availability: Record<string, MediaStatus> = {};
          const pending = pendingFiles.get(project.id);
          for (const v of videos) {
            const s = pending?.has(videoMediaKey(v)) ? ({ state: 'available', keeping: 'copy' } as const) : status.get(videoMediaKey(v));
            if (s) availability[v.id] = s;
          }
          patch({ availability });
        } catch (e) {
          patch({ message: `Could not check the project’s files: ${message(e)}` });
        }
        await get().refreshStorage();
      },

      async reconnectMedia() {
        const project = get().project.current;
        if (project === null) return;
        try {
          const { granted, refused } = await deps.media.requestAccess(project.id);
          if (refused > 0) patch({ message: `Access was refused to ${refused === 1 ? 'a folder or file' : `${refused} folders or files`} of this project: ${refused === 1 ? 'its' : 'their'} videos stay unavailable (their work is kept). Choose “Reconnect files” again to allow it.` });
          else if (granted > 0) patch({ message: null });
        } catch (e) {
          patch({ message: `Could not reconnect the project’s files: ${message(e)}` });
        }
        await get().refreshAvailability();
      },

      async readProjectFile(key) {
        const project = get().project.current;
        if (project === null) return { ok: false, status: { state: 'missing', reason: 'no project is open' } };
        const pending = pendingFiles.get(project.id)?.get(key);
        if (pending) return { ok: true, file: await pending.blob(), keeping: 'copy' };
        return deps.media.read(project.id, key);
      },

      async keepProjectFiles(projectId, source) {
        if (source.folder !== null) {
          try {
            await deps.media.referenceFolder(projectId, '', source.folder);
          } catch (e) {
            if (get().project.current?.id === projectId) patch({ message: `The folder could not be kept for this project (${message(e)}); open it again next time.` });
          }
          return;
        }
        const queue = new Map(source.files.map((f) => [f.key, f]));
        pendingFiles.set(projectId, queue);
        const total = source.files.length;
        let done = 0;
        const show = (): void => {
          if (done < total) copyProgress.set(projectId, { done, total });
          else copyProgress.delete(projectId);
          if (get().project.current?.id === projectId) patch({ copying: copyProgress.get(projectId) ?? null });
        };
        show();
        for (const f of source.files) {
          try {
            await deps.media.copy(projectId, f.key, await f.blob());
            queue.delete(f.key);
            done++;
            show();
          } catch (e) {
            copyProgress.delete(projectId);
            const left = total - done;
            const text =
              e instanceof StorageQuotaError
                ? `The browser ran out of storage space while copying the dataset: ${done} of ${total} files are kept, ${left} are not (${f.key} and after). They can be used until this page is closed; then open the folder again, or free space (remove projects you no longer need).`
                : `Copying the dataset stopped at ${f.key} (${message(e)}): ${done} of ${total} files are kept; the rest can be used until this page is closed.`;
            if (get().project.current?.id === projectId) patch({ copying: null, message: text });
            else unsaid.set(projectId, text);
            void get().refreshStorage();
            return;
          }
        }
        pendingFiles.delete(projectId);
        show();
        void get().refreshAvailability();
      },

      withVideoFrames<T>(videoId: string, task: (frames: VideoFrames) => Promise<T>, priority: TaskPriority = 'normal'): Promise<T> {
        return pool.use(videoId, (v) => task(v.frames), priority);
      },

      setVideoPoolSize(n) {
        const size = clampPoolSize(n);
        pool.setSize(size);
        patch({ poolSize: size });
        deps.preferences.save(POOL_KEY, size);
      },

      videoPool() {
        return pool;
      },

      setVideoView(view) {
        patch({ view: { ...get().dataset.view, ...view } });
      },

      async addVideoFiles(picked) {
        if (picked.length === 0) return;
        if (get().project.current === null) await get().newProject(videoFileName({ path: picked[0]!.path }));
        const added = await get().addProjectVideos(picked);
        const first = added[0];
        if (first && (get().dataset.openVideoId === null || get().video.info === null)) await get().switchVideo(first.id);
        await get().saveNow();
      },

      async pickVideoFolder() {
        const pick = deps.files.pickFolder;
        if (pick === null) return false;
        let folder;
        try {
          folder = await pick(importLimits);
        } catch (e) {
          patch({ message: `The folder could not be read: ${message(e)}` });
          return true;
        }
        if (folder === null) return true;
        const videos = folder.entries.filter((e) => VIDEO_FILE.test(e.name));
        if (videos.length === 0) {
          patch({ message: `“${folder.name}” has no video files (.mp4, .m4v, .mov, .webm, .mkv).` });
          return true;
        }
        if (get().project.current === null) await get().newProject(folder.name);
        const project = get().project.current;
        if (project === null) return true;
        // The folder's videos live under its name in the project ("Clips/a.mp4"): a second folder of
        // the same name gets "Clips (2)", so each folder reference has a prefix of its own.
        const taken = new Set(get().dataset.videos.map((v) => v.path.split('/')[0]!));
        let root = folder.name.replace(/[\\/]/g, '_') || 'folder';
        for (let n = 2; taken.has(root); n++) root = `${folder.name} (${n})`;
        const added = videos.map((e) => get().registerVideo(`${root}/${e.name}`));
        try {
          await deps.media.referenceFolder(project.id, `videos/${root}/`, folder.root);
        } catch (e) {
          patch({ message: `The folder could not be kept for this project (${message(e)}).` });
        }
        const sizes = new Map(added.map((v, i) => [v.id, videos[i]!.size]));
        patch({ videos: get().dataset.videos.map((v) => (sizes.has(v.id) ? { ...v, byteLength: sizes.get(v.id)! } : v)) });
        await get().refreshAvailability();
        if (get().video.info === null && added[0]) await get().switchVideo(added[0].id);
        await get().saveNow();
        return true;
      },

      dismissDatasetMessage() {
        patch({ message: null });
      },

      async refreshStorage() {
        try {
          patch({ storage: await deps.media.usage() });
        } catch {
          // The estimate is information only; a browser that cannot give it shows none.
        }
      },
    };
  };
}
