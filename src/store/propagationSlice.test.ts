/**
 * The propagation slice with a fake segmenter whose tracker is scripted: plans, files results
 * (nearer anchor wins), stops a direction at 'absent', cancels keeping what is done, saves and
 * restores masklets, and drops results whose anchor changed.
 */
import { memoryMediaFor } from '../testing/memoryMedia';
import { describe, expect, it } from 'vitest';
import type { DecodedFrame, FrameSource, Segmenter, TrackFrameRequest, TrackStart, VideoOpener } from '../core/ports';
import { uniformTimestamps } from '../core/video/frameTimeline';
import { agentTestDeps } from '../testing/agentTestDeps';
import { memoryProjects } from '../testing/memoryProjects';
import { createAppStore, type AppStore } from './appStore';
import type { FrameImage } from './deps';

const W = 8;
const H = 6;
const image = (): FrameImage => ({ close() {} }) as unknown as FrameImage;
const full = { size: [H, W] as [number, number], counts: [0, W * H] };

function setUp(options: { absentAt?: number; projects?: ReturnType<typeof memoryProjects>; gate?: Promise<void> } = {}) {
  const starts: TrackStart<FrameImage>[] = [];
  const frames: { trackId: string; frame: number }[] = [];
  const tracks = new Map<string, number>();
  const segmenter: Segmenter<FrameImage> = {
    load: async () => ({ backend: 'wasm', threads: 1, loadMs: 0, fromCache: true }),
    hasEmbedding: async () => true,
    prepare: async () => 0,
    segment: () => Promise.reject(new Error('not in this test')),
    async startTrack(request) {
      starts.push(request);
      tracks.set(request.trackId, Number(request.anchorFrameKey.split('#')[1]));
    },
    async trackFrame(request: TrackFrameRequest<FrameImage>) {
      const frame = Number(request.frameKey.split('#')[1]);
      frames.push({ trackId: request.trackId, frame });
      if (options.gate && frames.length > 2) await options.gate;
      const absent = options.absentAt === frame;
      return { state: absent ? 'absent' : 'tracked', confidence: absent ? 0 : 0.9, score: 0.9, rle: absent ? null : full, encoderMs: 1, decoderMs: 1, otherMs: 0 };
    },
    endTrack: (id) => void tracks.delete(id),
    dispose() {},
  };
  const source: FrameSource<FrameImage> = {
    info: { name: 'v.mp4', container: 'MP4', codec: 'avc1', width: W, height: H, durationS: 2, fps: 10, frameCount: 20, byteLength: 1, decoder: 'webcodecs' },
    timestamps: uniformTimestamps(20, 10),
    getFrame: async (index): Promise<DecodedFrame<FrameImage>> => ({ index, timeS: index / 10, image: image() }),
    getThumbnail: async (index) => ({ index, timeS: 0, image: image() }),
    encodeFrames: () => Promise.reject(new Error('not in this test')),
    close() {},
  };
  const opener: VideoOpener<Blob, FrameImage> = { open: async () => ({ ok: true, source, bytes: new Blob(['v']), notice: null }) };
  const projects = options.projects ?? memoryProjects();
  const store = createAppStore({ videoOpener: opener, clock: { now: () => 0, nextFrame: () => () => {} }, segmenter, projects, ...agentTestDeps(), media: memoryMediaFor(projects) });
  return { store, starts, frames, tracks, projects };
}

function anchorAt(store: AppStore, ...anchorFrames: number[]): void {
  store.getState().loadAnnotations({
    instances: [{ id: 'a', name: 'man', color: '#f00', visible: true }],
    activeId: 'a',
    frames: Object.fromEntries(anchorFrames.map((f) => [`a@${f}`, { prompts: [{ kind: 'point' as const, x: 1, y: 1, positive: true }], mask: { rle: full, score: 0.9 } }])),
  });
}

const computed = (store: AppStore): number[] =>
  Object.keys(store.getState().propagation.masklets['a'] ?? {})
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
