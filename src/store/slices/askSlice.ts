/**
 * "Ask VideoSeeker": the endpoint settings (kept on this machine), the question being written,
 * the live preview of the visual prompt frame, and every query with its trajectory (kept in the
 * project). The loop itself is the core's runAgent; this slice gives it the endpoint client and
 * the video (frames encoded in the video worker) and files its updates.
 */
import type { StateCreator } from 'zustand';
import { abortable } from '../../core/agent/abortable';
import { checkDraft, EMPTY_DRAFT, everyStyle, overlayFor, type AskDraft, type ResolvedAsk } from '../../core/agent/draft';
import { explainFailure } from '../../core/agent/failureText';
import { questionFramePlan } from '../../core/agent/framePlan';
import { EndpointError, type AgentEnvironment, type EncodedImage, type EndpointFailure } from '../../core/agent/ports';
import { querySettings, toolPaths, type SavedQuery } from '../../core/agent/query';
import { runAgent, type AgentResume, type AgentVideo } from '../../core/agent/runAgent';
import { DEFAULT_ENDPOINT_SETTINGS, type EndpointSettings } from '../../core/agent/settings';
import { parseEndpointSettings } from '../../core/agent/settingsParse';
import { emptyTrajectory, type ImageRef, type Trajectory } from '../../core/agent/trajectory';
import type { AppState } from '../appStore';
import type { AppDeps } from '../deps';
import { createFrameCache } from './askFrameCache';
import type { VideoFrames } from './datasetSlice';
import type { FrameEncodeOptions } from '../../core/ports';

export interface AskPreview {
  readonly status: 'none' | 'rendering' | 'ready' | 'error';
  readonly image: EncodedImage | null;
  /** Why there is no preview (nothing to point at yet) or what went wrong. */
  readonly message: string | null;
}

/** What a query's images are made again from: its instance and visual prompt (a SavedQuery is one). */
export type QueryImageSource = Pick<SavedQuery, 'instanceId' | 'instanceName' | 'visualPrompt'>;

export interface AskSlice {
  ask: {
    readonly settings: EndpointSettings;
    readonly models: { readonly status: 'idle' | 'loading' | 'ready' | 'error'; readonly ids: readonly string[]; readonly error: string | null };
    readonly connection: { readonly status: 'idle' | 'testing' | 'ok' | 'error'; readonly message: string | null; readonly hints: readonly string[] };
    readonly draft: AskDraft;
    /** Oldest first. */
    readonly queries: readonly SavedQuery[];
    /** Ids of the queries whose loop is running. */
    readonly running: readonly string[];
    readonly selectedId: string | null;
    /** The "Ask with every style" group shown in the styles grid. */
    readonly styleGroup: string | null;
    readonly preview: AskPreview;
    /** Why the last Ask did not start. */
    readonly error: string | null;
  };
  updateSettings(patch: Partial<EndpointSettings>): void;
  resetSettings(): void;
  refreshModels(): Promise<void>;
  testConnection(): Promise<void>;
  setDraft(patch: Partial<AskDraft>): void;
  /** Starts a query from the draft; resolves with its id once it has started (null if it could not). */
  askQuestion(): Promise<string | null>;
  /** Asks a question resolved elsewhere (a QA item whose prompt is an image); `draft` gives its type and colour. Returns the query's id. */
  askResolved(draft: AskDraft, ask: ResolvedAsk): string;
  /** The same question under each of the 8 visual prompt types, side by side. */
  askEveryStyle(): Promise<void>;
  cancelQuery(id: string): void;
  /** Runs a failed or cancelled query again: from its failed round when still in memory, else from the start. */
  retryQuery(id: string): Promise<void>;
  /** Puts a query's question, options and visual prompt back in the draft, to ask again with other settings. */
  reuseQuery(id: string): void;
  deleteQuery(id: string): void;
  selectQuery(id: string | null): void;
  /** Replaces the queries (a project was opened); running ones are cancelled. */
  loadQueries(queries: readonly SavedQuery[]): void;
  renderPreview(): Promise<void>;
  /**
   * Encodes the question's frames ahead of Ask (while the question is being typed): decoding a
   * whole video's worth of frames takes seconds on a CPU, and the frames do not depend on the
   * question. Asking then finds them in the frame cache.
   */
  prepareQuestionFrames(): Promise<void>;
  /**
   * An image a query sent, made again from the video: a thumbnail (160 px wide) or the size the
   * model got. The visual prompt frame is drawn from the instance's current mask.
   */
  queryImage(source: QueryImageSource, ref: ImageRef, size: 'thumb' | 'full'): Promise<string>;
  /** The model a run will use: the configured one, or the server's first (protocol §1). */
  resolveModel(settings: EndpointSettings, signal: AbortSignal): Promise<string>;
  /**
   * The VideoSeeker loop on the open video for a resolved question, outside the query list (a
   * batch run's item). Shares the question-frame cache with Ask. Endpoint failures before the
   * loop starts reject with an Error carrying the whole explanation.
   */
  runAskLoop(ask: ResolvedAsk, settings: EndpointSettings, model: string, signal: AbortSignal, onUpdate: (t: Trajectory) => void, other?: OtherFrames): Promise<Trajectory>;
  /** An item's visual prompt image file as the model gets it (the file itself). */
  readPromptImage(key: string): Promise<EncodedImage>;
}

/** Frames of another video than the open one for runAskLoop; `visualPrompt`: the visual prompt image, prepared already. */
export interface OtherFrames {
  readonly frames: VideoFrames;
  readonly key: string;
  readonly visualPrompt?: EncodedImage;
}

const SETTINGS_KEY = 'videoseeker.endpoint.v1';
const THUMB_WIDTH = 160;
/** Thumbnails are ~5 kB each; this many cover several long trajectories. */
const IMAGE_CACHE_SIZE = 400;
/** How many queries of one "every style" group run at once. */
const STYLE_CONCURRENCY = 2;

let queryCounter = 0;
const newId = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${(queryCounter++).toString(36)}`;

/** A query that was running when the page went away (`cause`: or when else it stopped) cannot be resumed: say so. */
export function settleQuery(q: SavedQuery, cause = 'the page was closed'): SavedQuery {
  const t = q.trajectory;
  if (t.status !== 'running' && t.status !== 'preparing') return q;
  return {
    ...q,
    trajectory: { ...t, status: 'interrupted', finishedAt: t.finishedAt ?? t.startedAt, problems: [...t.problems, { kind: 'environment', message: `Interrupted: ${cause} while this query was running.` }] },
  };
}

/** The whole explanation, hints included: before the loop starts there is no round to show them in. */
export function failureMessage(failure: EndpointFailure, settings: EndpointSettings): string {
  const text = explainFailure(failure, { baseUrl: settings.baseUrl, model: settings.model, maxPixels: settings.sampling.maxPixels, timeoutS: settings.timeoutS });
  return [`${text.title}.`, text.message, ...text.hints].join(' ');
}

export function createAskSlice(deps: AppDeps): StateCreator<AppState, [], [], AskSlice> {
  return (set, get) => {
    const patch = (p: Partial<AskSlice['ask']>): void => set((s) => ({ ask: { ...s.ask, ...p } }));
    const controllers = new Map<string, AbortController>();
    const resumes = new Map<string, AgentResume>();
    const frames = createFrameCache();
    let previewSeq = 0;
    const images = new Map<string, Promise<string>>();

    const updateQuery = (id: string, change: (q: SavedQuery) => SavedQuery): void => {
      set((s) => ({ ask: { ...s.ask, queries: s.ask.queries.map((q) => (q.id === id ? change(q) : q)) } }));
    };
    const setRunning = (id: string, on: boolean): void => {
      const rest = get().ask.running.filter((r) => r !== id);
      patch({ running: on ? [...rest, id] : rest });
    };

    const client = () => deps.chatClient({ baseUrl: get().ask.settings.baseUrl, apiKey: get().ask.settings.apiKey });

    /** The configured model, or the server's first one (protocol §1). */
    const resolveModel = async (settings: EndpointSettings, signal: AbortSignal): Promise<string> => {
      if (settings.model.trim() !== '') return settings.model.trim();
      const ids = await deps.chatClient(settings).listModels(signal, settings.timeoutS);
      if (ids.length === 0) throw new EndpointError({ kind: 'unknown-model', status: null, detail: 'The server lists no models.', retryAfterS: null });
      return ids[0]!;
    };

    /** The frames a question is asked on: the open video's, unless the caller brings another video's. */
    const openFrames = (): VideoFrames | null => {
      const { info, timestamps, sourceId } = get().video;
      if (info === null || timestamps.length === 0) return null;
      // Frames of this video only: if another one is opened mid-question, the question stops rather than read it.
      const encodeFrames = (indices: readonly number[], options: FrameEncodeOptions): Promise<EncodedImage[]> =>
        get().video.sourceId === sourceId ? get().encodeFrames(indices, options) : Promise.reject(new Error(`Another video was opened while “${info.name}” was being asked about.`));
      return { info, timestamps, encodeFrames };
    };

    const videoFor = (ask: ResolvedAsk, frames: VideoFrames | null): AgentVideo | null => {
      if (frames === null || frames.timestamps.length === 0) return null;
      const { info, timestamps } = frames;
      // The model hears times from the video's start; a file's first frame may be stamped later.
      const t0 = timestamps[0]!;
      return {
        timestamps: timestamps.map((t) => t - t0),
        durationS: info.durationS,
        width: info.width,
        height: info.height,
        visualPromptFrame: ask.frame,
        ...(ask.paths ?? toolPaths(info.name, ask.frame)),
      };
    };

    /** The prompt image of an item, the file itself (the reference client sends the file as it is). */
    const promptImage = async (key: string): Promise<EncodedImage> => {
      const project = get().project.current;
      if (project === null) throw new Error('No project is open.');
      const read = await get().readProjectFile(key);
      if (!read.ok) throw new Error(`The visual prompt image ${key.replace(/^frames\//, '')} is ${read.status.state === 'missing' ? `not available: ${read.status.reason}` : 'waiting for permission to be read again (choose “Reconnect files”)'}.`);
      return deps.files.readImage(read.file);
    };

    const environmentFor = (ask: ResolvedAsk, source: VideoFrames, cacheKey: string | number, prepared?: EncodedImage): AgentEnvironment => ({
      encodeFrames: (indices, options, signal) => abortable(frames.get(cacheKey, indices, options, () => source.encodeFrames(indices, options)), signal),
      visualPromptImage: async (options, signal) => {
        if (prepared !== undefined) return prepared;
        if (ask.image !== null) return abortable(promptImage(ask.image), signal);
        const [image] = await abortable(source.encodeFrames([ask.frame], { ...options, width: source.info.width, height: source.info.height, ...(ask.overlay ? { overlay: ask.overlay } : {}) }), signal);
        return image!;
      },
    });

    /** The VideoSeeker loop for one resolved question (Ask and batch runs alike), on the open video or on `other`'s frames. */
    const loop = (ask: ResolvedAsk, settings: EndpointSettings, model: string, signal: AbortSignal, onUpdate: (t: Trajectory) => void, resume?: AgentResume, other?: OtherFrames) => {
      const source = other?.frames ?? openFrames();
      const video = videoFor(ask, source);
      if (video === null || source === null) return Promise.reject(new Error('No video is open.'));
      const chat = deps.chatClient({ baseUrl: settings.baseUrl, apiKey: settings.apiKey });
      const cacheKey = other?.key ?? get().video.sourceId;
      return runAgent(settings, model, { question: ask.sentQuestion, options: ask.options }, video, { client: chat, environment: environmentFor(ask, source, cacheKey, other?.visualPrompt), clock: deps.agentClock }, { signal, onUpdate }, resume);
    };

    /** Runs (or resumes) the loop for a query that is already in the list. */
    const run = async (id: string, ask: ResolvedAsk, resume?: AgentResume): Promise<void> => {
      const query = get().ask.queries.find((q) => q.id === id);
      if (!query) return;
      const settings = get().ask.settings;
      const controller = new AbortController();
      controllers.set(id, controller);
      setRunning(id, true);
      const onUpdate = (trajectory: Trajectory): void => updateQuery(id, (q) => ({ ...q, trajectory }));
      try {
        if (openFrames() === null) throw new Error('No video is open.');
        const model = resume ? query.model : await resolveModel(settings, controller.signal);
        updateQuery(id, (q) => ({ ...q, model }));
        const result = await loop(ask, settings, model, controller.signal, onUpdate, resume);
        onUpdate(result.trajectory);
        if (result.resume) resumes.set(id, result.resume);
        else resumes.delete(id);
      } catch (e) {
        // Only what happens before the loop starts lands here (the loop reports its own failures).
        const now = deps.agentClock.now();
        const cancelled = controller.signal.aborted;
        const message = e instanceof EndpointError ? failureMessage(e.failure, settings) : e instanceof Error ? e.message : String(e);
        updateQuery(id, (q) => ({
          ...q,
          trajectory: {
            ...q.trajectory,
            status: cancelled ? 'cancelled' : 'failed',
            finishedAt: now,
            problems: cancelled ? q.trajectory.problems : [...q.trajectory.problems, { kind: e instanceof EndpointError ? 'endpoint' : 'environment', message }],
          },
        }));
      } finally {
        controllers.delete(id);
        setRunning(id, false);
      }
    };

    /** A new query for a resolved draft, not yet started. */
    const makeQuery = (draft: AskDraft, ask: ResolvedAsk, group: string | null): SavedQuery => {
      const settings = get().ask.settings;
      const now = deps.agentClock.now();
      return {
        id: newId('q'),
        createdAt: now,
        instanceId: ask.instanceId,
        instanceName: ask.instanceName,
        question: draft.question.trim(),
        options: ask.options,
        sentQuestion: ask.sentQuestion,
        visualPrompt: { type: draft.vpType, frame: ask.frame, colour: draft.colour, ...(ask.image !== null ? { image: ask.image } : {}) },
        settings: querySettings(settings),
        model: settings.model,
        group,
        trajectory: emptyTrajectory(now),
      };
    };

    const draftCheck = (draft: AskDraft) => checkDraft(draft, get().annotation.history.present, get().video.frameIndex);

    return {
      ask: {
        settings: parseEndpointSettings(deps.preferences.load(SETTINGS_KEY)),
        models: { status: 'idle', ids: [], error: null },
        connection: { status: 'idle', message: null, hints: [] },
        draft: EMPTY_DRAFT,
        queries: [],
        running: [],
        selectedId: null,
        styleGroup: null,
        preview: { status: 'none', image: null, message: null },
        error: null,
      },

      updateSettings(p) {
        const settings = parseEndpointSettings({ ...get().ask.settings, ...p });
        patch({ settings, connection: { status: 'idle', message: null, hints: [] } });
        deps.preferences.save(SETTINGS_KEY, settings);
      },

      resetSettings() {
        // The key is the user's: resetting the protocol settings keeps it.
        const settings = { ...DEFAULT_ENDPOINT_SETTINGS, apiKey: get().ask.settings.apiKey };
        patch({ settings, connection: { status: 'idle', message: null, hints: [] } });
        deps.preferences.save(SETTINGS_KEY, settings);
      },

      async refreshModels() {
        const settings = get().ask.settings;
        patch({ models: { ...get().ask.models, status: 'loading', error: null } });
        try {
          const ids = await client().listModels(new AbortController().signal, settings.timeoutS);
          patch({ models: { status: 'ready', ids, error: null } });
        } catch (e) {
          const error = e instanceof EndpointError ? failureMessage(e.failure, settings) : String(e);
          patch({ models: { status: 'error', ids: get().ask.models.ids, error } });
        }
      },

      async testConnection() {
        const settings = get().ask.settings;
        patch({ connection: { status: 'testing', message: null, hints: [] } });
        try {
          const ids = await client().listModels(new AbortController().signal, settings.timeoutS);
          patch({ models: { status: 'ready', ids, error: null } });
          const model = settings.model.trim();
          if (model !== '' && !ids.includes(model)) {
            patch({ connection: { status: 'error', message: `Connected, but the server does not serve “${model}”.`, hints: [`It serves: ${ids.join(', ') || 'nothing'}.`] } });
          } else {
            const using = model !== '' ? model : ids[0];
            patch({ connection: { status: 'ok', message: `Connected: ${ids.length} model${ids.length === 1 ? '' : 's'}${using ? `, using ${using}` : ''}.`, hints: [] } });
          }
        } catch (e) {
          if (!(e instanceof EndpointError)) {
            patch({ connection: { status: 'error', message: String(e), hints: [] } });
            return;
          }
          const text = explainFailure(e.failure, { baseUrl: settings.baseUrl, model: settings.model, timeoutS: settings.timeoutS });
          patch({ connection: { status: 'error', message: `${text.title}. ${text.message}`, hints: text.hints } });
        }
      },

      setDraft(p) {
        patch({ draft: { ...get().ask.draft, ...p }, error: null });
      },

      async askQuestion() {
        const draft = get().ask.draft;
        const check = draftCheck(draft);
        if (!check.ok) {
          patch({ error: check.reason });
          return null;
        }
        const query = makeQuery(draft, check.ask, null);
        patch({ queries: [...get().ask.queries, query], selectedId: query.id, error: null });
        void run(query.id, check.ask);
        return query.id;
      },

      askResolved(draft, ask) {
        const query = makeQuery(draft, ask, null);
        patch({ queries: [...get().ask.queries, query], selectedId: query.id, error: null });
        void run(query.id, ask);
        return query.id;
      },

      async askEveryStyle() {
        const base = get().ask.draft;
        const checks = everyStyle(base).map((draft) => ({ draft, check: draftCheck(draft) }));
        if (checks.length === 0) {
          patch({ error: 'Choose at least one prompt style to compare.' });
          return;
        }
        const bad = checks.find((c) => !c.check.ok);
        if (bad && !bad.check.ok) {
          patch({ error: bad.check.reason });
          return;
        }
        const group = newId('g');
        patch({ styleGroup: group });
        get().openDialog('styles');
        // All queries are listed at once (pending), then run a few at a time: the shared frames
        // are encoded once (frame cache) and the server is not flooded.
        const pending = checks.map(({ draft, check }) => ({ draft, ask: (check as { ok: true; ask: ResolvedAsk }).ask }));
        const made = pending.map(({ draft, ask }) => ({ query: makeQuery(draft, ask, group), ask }));
        patch({ queries: [...get().ask.queries, ...made.map((m) => m.query)] });
        const ids = made.map(({ query, ask }) => ({ id: query.id, ask }));
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < ids.length) {
            const { id, ask } = ids[next++]!;
            // A query of the group deleted or cancelled before its turn is skipped.
            const q = get().ask.queries.find((x) => x.id === id);
            if (!q || q.trajectory.status !== 'preparing' || q.trajectory.finishedAt !== null) continue;
            await run(id, ask);
          }
        };
        await Promise.all(Array.from({ length: STYLE_CONCURRENCY }, worker));
      },

      cancelQuery(id) {
        const controller = controllers.get(id);
        if (controller) {
          controller.abort(new Error('Cancelled'));
          return;
        }
        // Not started yet (waiting in an "every style" group): mark it cancelled.
        updateQuery(id, (q) =>
          q.trajectory.status === 'preparing' ? { ...q, trajectory: { ...q.trajectory, status: 'cancelled', finishedAt: deps.agentClock.now() } } : q,
        );
      },

      async retryQuery(id) {
        const query = get().ask.queries.find((q) => q.id === id);
        if (!query || controllers.has(id)) return;
        const draft: AskDraft = { ...EMPTY_DRAFT, question: query.question, multipleChoice: query.options.length > 0, options: padOptions(query.options), vpType: query.visualPrompt.type, colour: query.visualPrompt.colour, frame: query.visualPrompt.frame, instanceId: query.instanceId };
        const check = draftCheck(draft);
        if (!check.ok) {
          patch({ error: `Cannot retry: ${check.reason}` });
          return;
        }
        const resume = resumes.get(id);
        if (!resume) updateQuery(id, (q) => ({ ...q, settings: querySettings(get().ask.settings), trajectory: emptyTrajectory(deps.agentClock.now()) }));
        await run(id, { ...check.ask, sentQuestion: query.sentQuestion }, resume);
      },

      reuseQuery(id) {
        const query = get().ask.queries.find((q) => q.id === id);
        if (!query) return;
        patch({
          draft: { ...get().ask.draft, question: query.question, multipleChoice: query.options.length > 0, options: padOptions(query.options), vpType: query.visualPrompt.type, colour: query.visualPrompt.colour, frame: query.visualPrompt.frame, instanceId: query.instanceId },
          error: null,
        });
      },

      deleteQuery(id) {
        controllers.get(id)?.abort(new Error('Deleted'));
        resumes.delete(id);
        const s = get().ask;
        patch({ queries: s.queries.filter((q) => q.id !== id), selectedId: s.selectedId === id ? null : s.selectedId });
      },

      selectQuery(id) {
        patch({ selectedId: id });
      },

      loadQueries(queries) {
        for (const c of controllers.values()) c.abort(new Error('Another project was opened'));
        resumes.clear();
        frames.clear();
        images.clear();
        patch({ queries: queries.map((q) => settleQuery(q)), selectedId: queries[queries.length - 1]?.id ?? null, styleGroup: null, running: [], error: null });
      },

      queryImage(query, ref, size) {
        const info = get().video.info;
        const image = query.visualPrompt.image;
        if (ref.source === 'visual-prompt' && image !== undefined) {
          const key = JSON.stringify(['image', image]);
          const hit = images.get(key) ?? promptImage(image).then((i) => i.url);
          images.set(key, hit);
          hit.catch(() => images.delete(key));
          return hit;
        }
        if (info === null) return Promise.reject(new Error('The video is not open'));
        const full = size === 'full';
        const w = full ? ref.width : THUMB_WIDTH;
        const h = full ? ref.height : Math.max(1, Math.round((THUMB_WIDTH * info.height) / info.width));
        let overlay;
        if (ref.source === 'visual-prompt') {
          const vp = query.visualPrompt;
          const resolved = query.instanceId === null ? null : overlayFor(get().annotation.history.present, query.instanceId, ref.frame, vp.type, vp.colour);
          if (resolved === null) return Promise.reject(new Error(`“${query.instanceName}” no longer has a mask on that frame`));
          overlay = resolved.overlay;
        }
        const frame = ref.source === 'frame' ? ref.index : ref.frame;
        const key = JSON.stringify([get().video.sourceId, frame, w, h, overlay ?? null]);
        const hit = images.get(key);
        if (hit) return hit;
        const work = get()
          .encodeFrames([frame], { width: w, height: h, format: 'jpeg', quality: full ? 0.92 : 0.8, overlay })
          .then(([image]) => image!.url);
        images.set(key, work);
        work.catch(() => images.delete(key));
        while (images.size > IMAGE_CACHE_SIZE) images.delete(images.keys().next().value!);
        return work;
      },

      resolveModel(settings, signal) {
        return resolveModel(settings, signal);
      },

      async runAskLoop(ask, settings, model, signal, onUpdate, other) {
        return (await loop(ask, settings, model, signal, onUpdate, undefined, other)).trajectory;
      },

      readPromptImage(key) {
        return promptImage(key);
      },

      async prepareQuestionFrames() {
        const { info, timestamps, sourceId } = get().video;
        if (info === null || timestamps.length === 0) return;
        const t0 = timestamps[0]!;
        const video = { timestamps: timestamps.map((t) => t - t0), durationS: info.durationS, width: info.width, height: info.height };
        try {
          const plan = questionFramePlan(get().ask.settings, video);
          await frames.get(sourceId, plan.indices, plan.encode, () => get().encodeFrames(plan.indices, plan.encode));
        } catch {
          // Only a head start: Ask encodes again and reports what goes wrong.
        }
      },

      async renderPreview() {
        const seq = ++previewSeq;
        const { draft, settings } = get().ask;
        const info = get().video.info;
        const check = draftCheck({ ...draft, question: draft.question.trim() === '' ? '?' : draft.question });
        if (info === null || !check.ok) {
          patch({ preview: { status: 'none', image: null, message: info === null ? 'Open a video first.' : check.ok ? null : check.reason } });
          return;
        }
        patch({ preview: { ...get().ask.preview, status: 'rendering' } });
        try {
          const [image] = await get().encodeFrames([check.ask.frame], {
            width: info.width,
            height: info.height,
            format: settings.imageFormat,
            quality: settings.jpegQuality,
            ...(check.ask.overlay ? { overlay: check.ask.overlay } : {}),
          });
          if (seq === previewSeq) patch({ preview: { status: 'ready', image: image!, message: null } });
        } catch (e) {
          if (seq === previewSeq) patch({ preview: { status: 'error', image: null, message: `The visual prompt frame could not be drawn: ${e instanceof Error ? e.message : String(e)}` } });
        }
      },
    };
  };
}

function padOptions(options: readonly string[]): readonly [string, string, string, string] {
  return [options[0] ?? '', options[1] ?? '', options[2] ?? '', options[3] ?? ''];
}
