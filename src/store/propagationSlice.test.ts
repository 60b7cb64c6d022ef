/**
 * The propagation slice with a fake segmenter whose tracker is scripted: plans, files results
 * (nearer anchor wins), stops a direction at 'absent', cancels keeping what is done, saves and
 * restores masklets, and drops results whose anchor changed.
 */
import { memoryMediaFor } from '../testing/memoryMedia';
import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../core/cache/boundedCache';
import type { DecodedFrame, FrameSource, Segmenter, TrackFramesRequest, TrackStart, VideoOpener } from '../core/ports';
import { EMBEDDING_CACHE_FRAMES } from '../core/propagation/schedule';
import { uniformTimestamps } from '../core/video/frameTimeline';
import { agentTestDeps } from '../testing/agentTestDeps';
import { memoryProjects } from '../testing/memoryProjects';
import { createAppStore, type AppStore } from './appStore';
import type { FrameImage } from './deps';

const W = 8;
const H = 6;
const image = (): FrameImage => ({ close() {} }) as unknown as FrameImage;
const full = { size: [H, W] as [number, number], counts: [0, W * H] };

function setUp(options: { absentAt?: number; projects?: ReturnType<typeof memoryProjects>; gate?: Promise<void>; gateAfter?: number; frameCount?: number } = {}) {
  const starts: TrackStart<FrameImage>[] = [];
  const frames: { trackId: string; frame: number }[] = [];
  /** Each trackFrames call: its frame and tracks. */
  const calls: { frame: number; trackIds: readonly string[] }[] = [];
  /** Encoder runs by frame, with an embedding cache like the worker's (LRU, EMBEDDING_CACHE_FRAMES). */
  const encodes = new Map<number, number>();
  const embeddings = new BoundedCache<string, true>({ maxEntries: EMBEDDING_CACHE_FRAMES, maxBytes: 1, sizeOf: () => 0 });
  const tracks = new Map<string, number>();
  const frameCount = options.frameCount ?? 20;
  const segmenter: Segmenter<FrameImage> = {
    load: async () => ({ backend: 'wasm', encoder: 'int8', threads: 1, loadMs: 0, fromCache: true }),
    hasEmbedding: async () => true,
    prepare: async () => 0,
    segment: () => Promise.reject(new Error('not in this test')),
    async startTrack(request) {
      starts.push(request);
      tracks.set(request.trackId, Number(request.anchorFrameKey.split('#')[1]));
    },
    async trackFrames(request: TrackFramesRequest<FrameImage>) {
      const frame = Number(request.frameKey.split('#')[1]);
      calls.push({ frame, trackIds: request.trackIds });
      for (const trackId of request.trackIds) {
        if (!tracks.has(trackId)) throw new Error(`No track ${trackId}`);
        frames.push({ trackId, frame });
      }
      if (options.gate && frames.length > (options.gateAfter ?? 2)) await options.gate;
      const encoderPasses = embeddings.get(request.frameKey) ? 0 : 1;
      embeddings.set(request.frameKey, true);
      encodes.set(frame, (encodes.get(frame) ?? 0) + encoderPasses);
      const absent = options.absentAt === frame;
      const step = { state: absent ? ('absent' as const) : ('tracked' as const), confidence: absent ? 0 : 0.9, score: 0.9, rle: absent ? null : full, decoderMs: 1, otherMs: 0 };
      return { tracks: request.trackIds.map(() => step), encoderPasses, encoderMs: encoderPasses, otherMs: 0 };
    },
    endTrack: (id) => void tracks.delete(id),
    dispose() {},
  };
  const source: FrameSource<FrameImage> = {
    info: { name: 'v.mp4', container: 'MP4', codec: 'avc1', width: W, height: H, durationS: frameCount / 10, fps: 10, frameCount, byteLength: 1, decoder: 'webcodecs' },
    timestamps: uniformTimestamps(frameCount, 10),
    getFrame: async (index): Promise<DecodedFrame<FrameImage>> => ({ index, timeS: index / 10, image: image() }),
    getThumbnail: async (index) => ({ index, timeS: 0, image: image() }),
    encodeFrames: () => Promise.reject(new Error('not in this test')),
    close() {},
  };
  const opener: VideoOpener<Blob, FrameImage> = { open: async () => ({ ok: true, source, bytes: new Blob(['v']), notice: null }) };
  const projects = options.projects ?? memoryProjects();
  const store = createAppStore({ videoOpener: opener, clock: { now: () => 0, nextFrame: () => () => {} }, segmenter, projects, ...agentTestDeps(), media: memoryMediaFor(projects) });
  return { store, starts, frames, calls, encodes, tracks, projects };
}

function anchorAt(store: AppStore, ...anchorFrames: number[]): void {
  store.getState().loadAnnotations({
    instances: [{ id: 'a', name: 'man', color: '#f00', visible: true }],
    activeId: 'a',
    frames: Object.fromEntries(anchorFrames.map((f) => [`a@${f}`, { prompts: [{ kind: 'point' as const, x: 1, y: 1, positive: true }], mask: { rle: full, score: 0.9 } }])),
  });
}

/** Instances by id, each with anchors on the frames given. */
function objectsAt(store: AppStore, anchors: Record<string, readonly number[]>): void {
  const ids = Object.keys(anchors);
  store.getState().loadAnnotations({
    instances: ids.map((id) => ({ id, name: id, color: '#f00', visible: true })),
    activeId: ids[0]!,
    frames: Object.fromEntries(ids.flatMap((id) => anchors[id]!.map((f) => [`${id}@${f}`, { prompts: [{ kind: 'point' as const, x: 1, y: 1, positive: true }], mask: { rle: full, score: 0.9 } }]))),
  });
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const computed = (store: AppStore, id = 'a'): number[] =>
  Object.keys(store.getState().propagation.masklets[id] ?? {})
    .map(Number)
    .sort((x, y) => x - y);

describe('propagation', () => {
  it('runs both ways from an anchor over the range, with the anchor logits key, and ends its trackers', async () => {
    const { store, starts, tracks } = setUp();
    await store.getState().startup({ kind: 'url', url: 'http://x/v.mp4' });
    anchorAt(store, 10);
    store.getState().setPropagationSettings({ range: [6, 13], direction: 'both' });
    await store.getState().propagate();
    expect(computed(store)).toEqual([6, 7, 8, 9, 11, 12, 13]);
    expect(starts.map((s) => s.anchorLogitsKey)).toEqual([expect.stringMatching(/^a@10\|/), expect.stringMatching(/^a@10\|/)]);
    expect(tracks.size).toBe(0);
    expect(store.getState().propagation.job).toBeNull();
    expect(store.getState().propagation.summary).toMatch(/^Done/);
  });

  it('between two anchors each side goes to the midpoint; a direction stops where the object is absent', async () => {
    const { store } = setUp({ absentAt: 16 });
    await store.getState().startup({ kind: 'url', url: 'http://x/v.mp4' });
    anchorAt(store, 2, 10);
    store.getState().setPropagationSettings({ direction: 'forward' });
    await store.getState().propagate();
    const m = store.getState().propagation.masklets['a']!;
    expect(m[5]?.anchor).toBe(2);
    expect(m[9]?.anchor).toBe(2);
    expect(m[16]?.state).toBe('absent');
    expect(m[17]).toBeUndefined(); // not computed past an absence
    expect(store.getState().propagation.summary).toMatch(/left the picture at frame 16/);
  });

  it('every k-th frame leaves the others not computed', async () => {
    const { store } = setUp();
    await store.getState().startup({ kind: 'url', url: 'http://x/v.mp4' });
    anchorAt(store, 0);
    store.getState().setPropagationSettings({ direction: 'forward', step: { kind: 'nth', k: 5 } });
    await store.getState().propagate();
    expect(computed(store)).toEqual([5, 10, 15]);
  });

  it('cancel keeps the finished frames; a second run skips nothing it must not', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const { store } = setUp({ gate });
    await store.getState().startup({ kind: 'url', url: 'http://x/v.mp4' });
    anchorAt(store, 0);
    store.getState().setPropagationSettings({ direction: 'forward', range: [0, 9] });
    const running = store.getState().propagate();
    for (let i = 0; i < 50 && computed(store).length < 2; i++) await new Promise((r) => setTimeout(r, 1));
    store.getState().cancelPropagation();
    expect(store.getState().propagation.job?.cancelling).toBe(true);
    open();
    await running;
    const kept = computed(store);
    expect(kept.length).toBeGreaterThanOrEqual(2);
    expect(kept.length).toBeLessThan(9);
    expect(store.getState().propagation.summary).toMatch(/^Cancelled/);
    await store.getState().propagate();
    expect(computed(store)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('masklets are saved with the project and restored; editing an anchor drops what came from it', async () => {
    const projects = memoryProjects();
    const { store } = setUp({ projects });
    await store.getState().startup({ kind: 'url', url: 'http://x/v.mp4' });
    anchorAt(store, 0);
    store.getState().setPropagationSettings({ direction: 'forward', range: [0, 4] });
    await store.getState().propagate();
    await store.getState().saveNow();
    const doc = await projects.loadDocument(store.getState().project.current!.id);
    const saved = doc?.work[doc.openVideoId!];
    expect(Object.keys(saved!.masklets['a']!)).toEqual(['1', '2', '3', '4']);

    const again = setUp({ projects });
    await again.store.getState().startup(null);
    expect(computed(again.store)).toEqual([1, 2, 3, 4]);
    // A new prompt on the anchor: its propagated masks no longer hold.
    anchorAt(again.store, 0);
    expect(computed(again.store)).toEqual([]);
  });

  it('nothing to propagate from says so', async () => {
    const { store } = setUp();
    await store.getState().startup({ kind: 'url', url: 'http://x/v.mp4' });
    store.getState().loadAnnotations({ instances: [{ id: 'a', name: 'man', color: '#f00', visible: true }], activeId: 'a', frames: {} });
    await store.getState().propagate();
    expect(store.getState().propagation.error).toMatch(/Nothing to propagate from/);
  });

  it('a run the page left behind comes back as interrupted; continuing computes only the rest, from the last finished frame', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const projects = memoryProjects();
    const first = setUp({ gate, projects });
    await first.store.getState().startup({ kind: 'url', url: 'http://x/v.mp4' });
    anchorAt(first.store, 2);
    first.store.getState().setPropagationSettings({ direction: 'both', range: [0, 9], step: { kind: 'every' } });
    void first.store.getState().propagate();
    for (let i = 0; i < 50 && computed(first.store).length < 2; i++) await new Promise((r) => setTimeout(r, 1));
    // The page goes away mid-run: what the last save holds is all the next session has.
    await first.store.getState().saveNow();
    const savedAt = computed(first.store);
    expect(savedAt).toEqual([3, 4]); // the third frame waits at the gate
    expect(first.store.getState().propagation.pending).toMatchObject({ instanceIds: ['a'], direction: 'both', range: [0, 9], total: 9, done: 2 });

    const second = setUp({ projects });
    await second.store.getState().startup(null);
    expect(computed(second.store)).toEqual([3, 4]);
    expect(second.store.getState().propagation.job).toBeNull();
    expect(second.store.getState().propagation.pending).toMatchObject({ total: 9, done: 2 });
    // Still there after another reload if the user did nothing about it.
    await second.store.getState().saveNow();
    const doc = await projects.loadDocument(second.store.getState().project.current!.id);
    expect(doc?.work[doc.openVideoId!]?.propagationRun).toMatchObject({ done: 2 });

    second.store.getState().setPropagationSettings({ direction: 'forward', range: [0, 4] }); // the panel's settings do not matter
    await second.store.getState().continuePropagation();
    expect(computed(second.store)).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9]);
    // Forward resumed from frame 4 with its mask (no anchor logits); backward from the anchor.
    expect(second.starts.map((s) => [s.anchorFrameKey.split('#')[1], s.anchorLogitsKey === null])).toEqual([['4', true], ['2', false]]);
    expect(second.frames.map((f) => f.frame)).toEqual([5, 6, 7, 8, 9, 1, 0]);
    expect(second.store.getState().propagation.pending).toBeNull();
    expect(second.store.getState().propagation.summary).toMatch(/^Done/);
    open();
  });

  it('two objects anchored on different frames: each frame is asked for once, with every object that needs it (one encoder pass); both lanes fill', async () => {
    const { store, calls, encodes } = setUp();
    await store.getState().startup({ kind: 'url', url: 'http://x/v.mp4' });
    objectsAt(store, { a: [0], b: [5] });
    store.getState().setPropagationSettings({ scope: 'all', direction: 'forward', range: [0, 12] });
    const done: number[] = [];
    const unsubscribe = store.subscribe((st) => void (st.propagation.job && done.push(st.propagation.job.done)));
    await store.getState().propagate();
    unsubscribe();
    // Frame-major: frames 1..12 once each, a and b together from frame 6 on.
    expect(calls.map((c) => c.frame)).toEqual(range(1, 12));
    expect(calls.map((c) => c.trackIds.length)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2]);
    expect([...encodes.values()].every((n) => n === 1)).toBe(true);
    expect(computed(store, 'a')).toEqual(range(1, 12));
    expect(computed(store, 'b')).toEqual(range(6, 12));
    // Progress counts (object, frame) steps.
    expect(Math.max(...done)).toBe(19);
    expect(store.getState().propagation.lastRun).toMatchObject({ steps: 19, frames: 12, encoderPasses: 12, framesEncodedTwice: 0 });
    expect(store.getState().propagation.summary).toMatch(/^Done .* 19 propagated frames in all\. 12 frames · 1 encoder pass per frame\.$/);
  });

  it('two objects propagated both ways cross between their anchors: the cache serves the frames near the turn, the rest are encoded twice and the summary says so', async () => {
    const { store, calls, encodes } = setUp({ frameCount: 41 });
    await store.getState().startup({ kind: 'url', url: 'http://x/v.mp4' });
    objectsAt(store, { a: [0], b: [25] });
    store.getState().setPropagationSettings({ scope: 'all', direction: 'both', range: null });
    await store.getState().propagate();
    // b's backward sweep 24..0 first, then a and b forward: the cache still holds 15..0.
    expect(calls.slice(0, 26).map((c) => c.frame)).toEqual([...range(0, 24).reverse(), 1]);
    expect([...encodes].filter(([, n]) => n > 1).map(([f]) => f).sort((x, y) => x - y)).toEqual(range(16, 24));
    expect(computed(store, 'a')).toEqual(range(1, 40));
    expect(computed(store, 'b')).toEqual([...range(0, 24), ...range(26, 40)]);
    expect(store.getState().propagation.summary).toMatch(/41 frames · 50 encoder passes: 9 frames encoded twice/);
  });

  it('two objects interrupted mid-run: continuing computes only what is left, each frame once for both', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const projects = memoryProjects();
    const first = setUp({ gate, gateAfter: 10, projects });
    await first.store.getState().startup({ kind: 'url', url: 'http://x/v.mp4' });
    objectsAt(first.store, { a: [0], b: [5] });
    first.store.getState().setPropagationSettings({ scope: 'all', direction: 'forward', range: [0, 12] });
    void first.store.getState().propagate();
    for (let i = 0; i < 50 && computed(first.store, 'b').length < 2; i++) await new Promise((r) => setTimeout(r, 1));
    await first.store.getState().saveNow();
    // Frame 8 waits at the gate.
    expect([computed(first.store, 'a'), computed(first.store, 'b')]).toEqual([range(1, 7), [6, 7]]);
    expect(first.store.getState().propagation.pending).toMatchObject({ instanceIds: ['a', 'b'], total: 19, done: 9 });

    const second = setUp({ projects });
    await second.store.getState().startup(null);
    await second.store.getState().continuePropagation();
    expect(second.calls.map((c) => [c.frame, c.trackIds.length])).toEqual(range(8, 12).map((f) => [f, 2]));
    expect(second.starts.map((s) => [s.anchorFrameKey.split('#')[1], s.anchorLogitsKey])).toEqual([['7', null], ['7', null]]);
    expect([computed(second.store, 'a'), computed(second.store, 'b')]).toEqual([range(1, 12), range(6, 12)]);
    expect(second.store.getState().propagation.summary).toMatch(/5 frames · 1 encoder pass per frame/);
    open();
  });

  it('an interrupted run can be dismissed; its frames stay', async () => {
    const projects = memoryProjects();
    const { store } = setUp({ projects });
    await store.getState().startup({ kind: 'url', url: 'http://x/v.mp4' });
    anchorAt(store, 0);
    store.getState().loadMasklets({ a: { 1: { rle: full, score: 0.9, confidence: 0.9, state: 'tracked', anchor: 0 } } }, { instanceIds: ['a'], direction: 'forward', range: null, step: { kind: 'every' }, total: 19, done: 1, startedAt: 0 });
    store.getState().dismissInterruptedPropagation();
    expect(store.getState().propagation.pending).toBeNull();
    expect(computed(store)).toEqual([1]);
  });
});
