/**
 * Set-up of the dataset store tests (imported only by *.test.ts): the real store over a project of
 * many videos, each a file whose bytes name it, opened by `VideoLibrary`, a VideoOpener that gives
 * every file its own FrameSource, counts the sources open at any moment (per video and in all),
 * logs which video encoded which frames (a frame's data URL names its video) and can refuse to
 * decode chosen videos. The chat endpoint is reviewTestKit's scripted one.
 */
import type { EncodedImage } from '../core/agent/ports';
import type { DecodedFrame, FrameSource, OpenOutcome, VideoOpener, VideoRequest } from '../core/ports';
import { emptyDocument, videoMediaKey, type ProjectDocument, type ProjectVideo, type VideoFacts, type VideoWork } from '../core/project/document';
import type { QaItem } from '../core/qa/model';
import type { ProjectRepository } from '../core/project/repository';
import type { VideoOpenError } from '../core/video/openErrors';
import { uniformTimestamps } from '../core/video/frameTimeline';
import { createAppStore, type AppStore } from '../store/appStore';
import type { DatasetFiles, FrameImage } from '../store/deps';
import { FakeClock } from './agentFakes';
import { memoryPreferences, noFiles } from './agentTestDeps';
import { memoryMedia, type MemoryMedia } from './memoryMedia';
import { memoryProjects } from './memoryProjects';
import { answerB, ScriptedClient, type Responder } from './reviewTestKit';
import { idleSegmenter } from './segmenterStubs';

/** Every test video: 10 fps, 64×48; `frames` long (100 unless said). */
export const FPS = 10;

/** The bytes of a test video: its tag (letters and digits), which the opener reads back. */
export const videoFile = (tag: string): Blob => new Blob([`video:${tag}`]);

/** The data URL the library's sources encode frame `index` of video `tag` to. */
export const frameUrl = (tag: string, index: number): string => `data:image/jpeg;base64,${tag}F${index}`;

/** The tags of the videos whose frames are in `text` (a request as JSON), with how many frames each. */
export function framesIn(text: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const m of text.matchAll(/data:image\/jpeg;base64,([A-Za-z0-9]+?)F\d+/g)) found.set(m[1]!, (found.get(m[1]!) ?? 0) + 1);
  return found;
}

const image = (): FrameImage => ({ close() {} }) as unknown as FrameImage;

export class VideoLibrary implements VideoOpener<Blob, FrameImage> {
  /** Videos (by tag) that do not decode, with what the opener says. */
  readonly failing = new Map<string, VideoOpenError>();
  /** Frame counts of videos (by tag) that are not 100 frames long. */
  readonly frameCounts = new Map<string, number>();
  /** Tags in the order their sources were opened. */
  readonly opened: string[] = [];
  /** Which video encoded which frames, in order. */
  readonly encodes: { readonly tag: string; readonly indices: readonly number[] }[] = [];
  /** The most sources open at once, in all and of one video. */
  maxLive = 0;
  maxLiveOfOne = 0;
  /** Sources closed twice (a bug in the caller). */
  doubleCloses = 0;
  /** Videos (by tag) whose file went away: their open sources fail every encode with this. */
  readonly broken = new Map<string, string>();
  /** When set, every encode waits for it (to see what is prepared while requests wait). */
  encodeGate: Promise<void> | null = null;
  private readonly live = new Map<string, number>();

  liveOf(tag: string): number {
    return this.live.get(tag) ?? 0;
  }

  get liveTotal(): number {
    return [...this.live.values()].reduce((a, b) => a + b, 0);
  }

  async open(request: VideoRequest<Blob>): Promise<OpenOutcome<FrameImage>> {
    if (request.kind !== 'file') throw new Error('VideoLibrary opens files only');
    const text = await request.file.text();
    const tag = text.startsWith('video:') ? text.slice('video:'.length) : null;
    if (tag === null) return { ok: false, error: { kind: 'not-video', title: `“${request.name}” is not a video`, message: 'Its bytes are not a video this test knows.' } };
    const failure = this.failing.get(tag);
    if (failure) return { ok: false, error: failure };
    this.opened.push(tag);
    this.live.set(tag, this.liveOf(tag) + 1);
    this.maxLive = Math.max(this.maxLive, this.liveTotal);
    this.maxLiveOfOne = Math.max(this.maxLiveOfOne, this.liveOf(tag));
    return { ok: true, source: this.source(tag, request.name, request.file.size), bytes: request.file, notice: null };
  }

  private source(tag: string, name: string, byteLength: number): FrameSource<FrameImage> {
    const frameCount = this.frameCounts.get(tag) ?? 100;
    let closed = false;
    return {
      info: { name, container: 'MP4', codec: 'avc1', width: 64, height: 48, durationS: frameCount / FPS, fps: FPS, frameCount, byteLength, decoder: 'webcodecs' },
      timestamps: uniformTimestamps(frameCount, FPS),
      getFrame: async (index): Promise<DecodedFrame<FrameImage>> => ({ index, timeS: index / FPS, image: image() }),
      getThumbnail: async (index) => ({ index, timeS: index / FPS, image: image() }),
      encodeFrames: async (indices, options): Promise<EncodedImage[]> => {
        if (closed) throw new Error(`frames of ${tag} asked after its source was closed`);
        if (this.encodeGate) await this.encodeGate;
        const gone = this.broken.get(tag);
        if (gone !== undefined) throw new Error(gone);
        this.encodes.push({ tag, indices: [...indices] });
        return indices.map((i) => ({ url: frameUrl(tag, i), bytes: 100, width: options.width, height: options.height }));
      },
      close: () => {
        if (closed) {
          this.doubleCloses++;
          return;
        }
        closed = true;
        this.live.set(tag, this.liveOf(tag) - 1);
      },
    };
  }
}

/** A video of a test dataset: `tag` names its bytes; its path is `Set/<tag>.mp4` unless said. */
export interface TestVideo {
  readonly tag: string;
  readonly path?: string;
  readonly work?: VideoWork;
  /** What the project learnt when it was opened before (null: never opened, as after an import). */
  readonly facts?: VideoFacts | null;
  /** False: its file is not kept by the project (missing from the start). */
  readonly kept?: boolean;
}

export const videoId = (tag: string): string => `vid-${tag}`;
export const pathOf = (v: TestVideo): string => v.path ?? `Set/${v.tag}.mp4`;

export interface DatasetSetUp {
  readonly store: AppStore;
  readonly library: VideoLibrary;
  readonly projects: ReturnType<typeof memoryProjects>;
  readonly media: MemoryMedia;
  readonly client: ScriptedClient;
  readonly projectId: string;
  /** The project's video entries, in order. */
  readonly videos: readonly ProjectVideo[];
}

export interface DatasetOptions {
  /** The video open when the project opens (the first by default). */
  readonly open?: string;
  readonly qaItems?: readonly QaItem[];
  /** Other files of the project (prompt images), by media key. */
  readonly files?: Readonly<Record<string, Blob>>;
  readonly respond?: Responder;
  readonly datasetFiles?: Partial<DatasetFiles>;
  readonly library?: VideoLibrary;
  /** The repository and media store of an earlier store (a reload): the project is reopened from them, not created. */
  readonly reload?: { readonly projects: ReturnType<typeof memoryProjects>; readonly media: MemoryMedia };
  /** Wraps the repository the store writes to (reviewTestKit's `crashable`, to stop writing as a closed page does). */
  readonly wrapRepository?: (repo: ProjectRepository) => ProjectRepository;
}

export function datasetDocument(videos: readonly TestVideo[], options: Pick<DatasetOptions, 'open' | 'qaItems'> = {}): ProjectDocument {
  const entries: ProjectVideo[] = videos.map((v) => ({ id: videoId(v.tag), path: pathOf(v), byteLength: v.facts ? videoFile(v.tag).size : null, facts: v.facts ?? null, problem: null }));
  const work: Record<string, VideoWork> = {};
  for (const v of videos) if (v.work) work[videoId(v.tag)] = v.work;
  return { ...emptyDocument(), videos: entries, openVideoId: videoId(options.open ?? videos[0]!.tag), work, qaItems: options.qaItems ?? [] };
}

/** The store with a project of these videos opened (restored from a document and its files, as an imported project is). */
export async function datasetStore(videos: readonly TestVideo[], options: DatasetOptions = {}): Promise<DatasetSetUp> {
  const library = options.library ?? new VideoLibrary();
  const projects = options.reload?.projects ?? memoryProjects();
  const media = options.reload?.media ?? memoryMedia();
  const clock = new FakeClock();
  const client = new ScriptedClient(options.respond ?? answerB, clock);
  const store = createAppStore({
    videoOpener: library,
    clock: { now: () => 0, nextFrame: () => () => {} },
    segmenter: idleSegmenter,
    projects: options.wrapRepository ? options.wrapRepository(projects) : projects,
    media,
    chatClient: () => client,
    agentClock: clock,
    preferences: memoryPreferences({ 'videoseeker.endpoint.v1': { baseUrl: 'http://gpu:8000/v1', apiKey: 'sk-test', model: 'vs-8b' } }),
    files: { ...noFiles, ...options.datasetFiles },
  });
  if (options.reload) {
    // The page again: the last project opens as at start-up, its runs read back as a reload leaves them.
    await store.getState().startup(null);
    return { store, library, projects, media, client, projectId: store.getState().project.current!.id, videos: store.getState().dataset.videos };
  }
  const doc = datasetDocument(videos, options);
  const files = [
    ...videos.filter((v) => v.kept !== false).map((v) => ({ key: videoMediaKey({ path: pathOf(v) }), file: videoFile(v.tag) })),
    ...Object.entries(options.files ?? {}).map(([key, file]) => ({ key, file })),
  ];
  await store.getState().restoreProject('Dataset', doc, files);
  const projectId = store.getState().project.current!.id;
  return { store, library, projects, media, client, projectId, videos: store.getState().dataset.videos };
}

/** A promise and the functions that settle it. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
