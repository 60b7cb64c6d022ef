/**
 * Set-up of the review and batch store tests (imported only by *.test.ts): the real store on a
 * fake video with two masked objects on frame 5, QA items about them, a chat endpoint that
 * answers each item by its question and can hold requests until released (to see what is in
 * flight), a repository that can "crash" (stop writing, as a closed page does), and files that
 * capture what is saved.
 */
import { memoryMediaFor } from './memoryMedia';
import { type MemoryMedia } from './memoryMedia';
import type { ChatRequest } from '../core/agent/messages';
import { EndpointError, type ChatCallOptions, type ChatClient, type EndpointFailure } from '../core/agent/ports';
import { assembleStream, type AssembledMessage } from '../core/agent/streamAssembler';
import type { ProjectDocument } from '../core/project/document';
import type { ProjectRepository } from '../core/project/repository';
import type { QaItem } from '../core/qa/model';
import type { ResultsFiles } from '../core/review/resultsFile';
import { createAppStore, type AppState, type AppStore } from '../store/appStore';
import type { DatasetFiles, SaveKind } from '../store/deps';
import { FakeClock, reply, untilAborted, type Step } from './agentFakes';
import { memoryPreferences, noFiles } from './agentTestDeps';
import { memoryProjects } from './memoryProjects';
import { qaItem } from './qaTestKit';
import { idleSegmenter } from './segmenterStubs';
import { streetVideo } from './streetVideo';


export const OPTIONS = ['Walking', 'Running', 'Sitting', 'Jumping'] as const;

/**
 * QA item `n` about the man on frame 5: "Item n: what is <vp> doing?", multiple choice (answer B)
 * unless options are overridden. The id is `item-n`; the client recognises the item by "Item n:".
 */
export function item(n: number, overrides: Partial<QaItem> = {}): QaItem {
  return qaItem({ id: `item-${n}`, instanceId: 'man', videoId: 'street', frame: 5, vpType: 'rectangle', question: `Item ${n}: what is <vp> doing?`, options: [...OPTIONS], answer: 'B', createdAt: n, ...overrides });
}

/** What the endpoint is asked: the item ("Item n:" in the question, as `item-n`) and the round (0-based). */
export interface Asked {
  readonly itemId: string | null;
  readonly round: number;
  readonly request: ChatRequest;
}

export type Responder = (asked: Asked) => Step;

/** Answers B in one round. */
export const answerB: Responder = () => reply('<think>He walks fast.</think><answer>B</answer>');

/**
 * A chat endpoint that answers by item (see `Responder`), counts what is in flight, and — while
 * `hold` is on — keeps every request waiting until `release` (or its abort).
 */
export class ScriptedClient implements ChatClient {
  readonly requests: Asked[] = [];
  inFlight = 0;
  maxInFlight = 0;
  hold = false;
  /** What listModels throws; null: it lists `models`. */
  modelsFailure: EndpointFailure | null = null;
  models: string[] = ['served-model'];
  private readonly waiting: { readonly asked: Asked; readonly go: () => void }[] = [];

  constructor(
    public respond: Responder,
    private readonly clock: FakeClock,
  ) {}

  /** Requests waiting to be released. */
  get held(): number {
    return this.waiting.length;
  }

  /** Lets the `n` oldest held requests answer. */
  release(n = 1): void {
    for (const w of this.waiting.splice(0, n)) w.go();
  }

  /** Lets the held requests `which` picks answer, oldest first (to finish items out of the order they were sent). */
  releaseWhere(which: (asked: Asked) => boolean): number {
    const chosen = this.waiting.filter((w) => which(w.asked));
    for (const w of chosen) this.waiting.splice(this.waiting.indexOf(w), 1);
    for (const w of chosen) w.go();
    return chosen.length;
  }

  /** What the held requests ask, oldest first. */
  get heldRequests(): readonly Asked[] {
    return this.waiting.map((w) => w.asked);
  }

  /** Requests made for an item. */
  askedFor(itemId: string): number {
    return this.requests.filter((r) => r.itemId === itemId).length;
  }

  async complete(request: ChatRequest, options: ChatCallOptions): Promise<AssembledMessage> {
    const body = JSON.stringify(request);
    const n = /Item (\d+):/.exec(body)?.[1];
    const asked: Asked = { itemId: n === undefined ? null : `item-${n}`, round: request.messages.filter((m) => m.role === 'assistant').length, request };
    this.requests.push(asked);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.hold) {
        let go!: () => void;
        const released = new Promise<void>((resolve) => (go = resolve));
        const entry = { asked, go };
        this.waiting.push(entry);
        try {
          await Promise.race([released, untilAborted(options.signal)]);
        } finally {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
        }
      }
      options.signal.throwIfAborted();
      const step = this.respond(asked);
      options.onSent?.(body.length);
      if (step.kind === 'throw') throw step.error;
      this.clock.time += 40;
      for (const chunk of step.chunks ?? []) options.onChunk?.(chunk);
      if (step.kind === 'error') throw new EndpointError(step.failure);
      if (step.kind === 'hang') return await untilAborted(options.signal, step.ignoreSignal);
      this.clock.time += 210;
      return assembleStream(step.chunks);
    } finally {
      this.inFlight--;
    }
  }

  async listModels(): Promise<string[]> {
    if (this.modelsFailure) throw new EndpointError(this.modelsFailure);
    return [...this.models];
  }
}

/**
 * A repository that records every document it writes (`written`, oldest first), can take its time
 * to write (`saveDelayMs` real milliseconds, as IndexedDB does with a large project) and stops
 * writing at `crash()` (the page went away): later saves are lost.
 */
export function crashable(repo: ProjectRepository): ProjectRepository & { crash(): void; saveDelayMs: number; readonly written: ProjectDocument[] } {
  let crashed = false;
  const written: ProjectDocument[] = [];
  return {
    written,
    saveDelayMs: 0,
    list: () => repo.list(),
    create: (name) => repo.create(name),
    rename: (id, name) => repo.rename(id, name),
    remove: (id) => repo.remove(id),
    loadDocument: (id) => repo.loadDocument(id),
    async saveDocument(id, doc) {
      if (this.saveDelayMs > 0) await new Promise((r) => setTimeout(r, this.saveDelayMs));
      if (crashed) return;
      await repo.saveDocument(id, doc);
      written.push(doc);
    },
    getLastOpened: () => repo.getLastOpened(),
    setLastOpened: (id) => repo.setLastOpened(id),
    crash() {
      crashed = true;
    },
  };
}

export interface SavedFile {
  readonly name: string;
  readonly text: string;
  readonly kind: SaveKind;
}

/** Files whose saveFile keeps the text it was given. */
export function capturingFiles(): DatasetFiles & { readonly saved: SavedFile[] } {
  const saved: SavedFile[] = [];
  return {
    ...noFiles,
    saved,
    async saveFile(name, data, kind) {
      saved.push({ name, text: await data.text(), kind });
      return 'saved';
    },
  };
}

export const API_KEY = 'sk-secret';

export interface ReviewSetUp {
  readonly store: AppStore;
  readonly client: ScriptedClient;
  readonly clock: FakeClock;
  readonly projects: ReturnType<typeof crashable>;
  /** The endpoints clients were made for. */
  readonly endpoints: { baseUrl: string; apiKey: string }[];
  readonly files: ReturnType<typeof capturingFiles>;
  readonly media: MemoryMedia;
}

export interface ReviewOptions {
  readonly respond?: Responder;
  /** The repository (shared between two stores for a reload); a new one by default. */
  readonly projects?: ProjectRepository;
  /** The media store (shared with `projects` for a reload); a new one by default. */
  readonly media?: MemoryMedia;
  /** The configured model; '' asks the server. */
  readonly model?: string;
  /** Where results files are picked (none: the browser cannot write one). */
  readonly resultsFiles?: ResultsFiles<Blob>;
}

/** The store at start-up with street.mp4 open in a new project (or the last project reopened). */
export async function reviewStore(options: ReviewOptions = {}): Promise<ReviewSetUp> {
  const clock = new FakeClock();
  const client = new ScriptedClient(options.respond ?? answerB, clock);
  const repository = options.projects ?? memoryProjects();
  const projects = crashable(repository);
  const endpoints: { baseUrl: string; apiKey: string }[] = [];
  const files = capturingFiles();
  const media = options.media ?? memoryMediaFor(repository);
  const store = createAppStore({
    videoOpener: streetVideo(),
    clock: { now: () => 0, nextFrame: () => () => {} },
    segmenter: idleSegmenter,
    projects,
    chatClient: (endpoint): ChatClient => {
      endpoints.push({ baseUrl: endpoint.baseUrl, apiKey: endpoint.apiKey });
      return client;
    },
    agentClock: clock,
    preferences: memoryPreferences({ 'videoseeker.endpoint.v1': { baseUrl: 'http://gpu:8000/v1', apiKey: API_KEY, model: options.model ?? 'vs-8b' } }),
    files,
    media,
    resultsFiles: options.resultsFiles ?? null,
  });
  await store.getState().startup({ kind: 'url', url: 'http://x/street.mp4' });
  return { store, client, clock, projects, endpoints, files, media };
}

/** Waits (a real millisecond at a time) until `ok` holds; fails naming `what` after `withinMs`. */
export async function until(store: AppStore, ok: (s: AppState) => boolean, what: string, withinMs = 2000): Promise<void> {
  const end = Date.now() + withinMs;
  while (!ok(store.getState())) {
    if (Date.now() > end) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** A few real milliseconds for anything that would still happen to happen. */
export const settleABit = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));
