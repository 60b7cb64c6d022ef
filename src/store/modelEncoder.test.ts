/**
 * The encoder setting: which SAM image encoder the model loads (int8 or fp32), remembered on this
 * machine, swapped at once when the model is loaded, never under a running propagation.
 */
import { describe, expect, it } from 'vitest';
import type { DecodedFrame, FrameSource, ModelLoadProgress, Segmenter, VideoOpener } from '../core/ports';
import { DEFAULT_ENCODER, type EncoderKind } from '../core/segmentation/encoders';
import { uniformTimestamps } from '../core/video/frameTimeline';
import { agentTestDeps, memoryPreferences } from '../testing/agentTestDeps';
import { memoryMediaFor } from '../testing/memoryMedia';
import { memoryProjects } from '../testing/memoryProjects';
import { createAppStore } from './appStore';
import type { FrameImage } from './deps';
import { ENCODER_PREFERENCE_KEY } from './slices/modelSlice';

const W = 8;
const H = 6;
const image = (): FrameImage => ({ close() {} }) as unknown as FrameImage;
const full = { size: [H, W] as [number, number], counts: [0, W * H] };

/** A segmenter that loads what it is asked for (each load waits for `release` when given) and tracks until `gate` opens. */
function setUp(options: { saved?: unknown; gate?: Promise<void> } = {}) {
  const loads: EncoderKind[] = [];
  const waiting: (() => void)[] = [];
  let holdLoads = false;
  const segmenter: Segmenter<FrameImage> = {
    async load(onProgress: (p: ModelLoadProgress) => void, encoder: EncoderKind) {
      loads.push(encoder);
      onProgress({ loaded: 1, total: 2 });
      if (holdLoads) await new Promise<void>((resolve) => waiting.push(resolve));
      return { backend: 'wasm', encoder, threads: 2, loadMs: 1, fromCache: false };
    },
    hasEmbedding: async () => true,
    prepare: async () => 0,
    segment: () => Promise.reject(new Error('not in this test')),
    startTrack: async () => {},
    async trackFrames(request) {
      await options.gate;
      const step = { state: 'tracked' as const, confidence: 0.9, score: 0.9, rle: full, decoderMs: 1, otherMs: 0 };
      return { tracks: request.trackIds.map(() => step), encoderPasses: 1, encoderMs: 1, otherMs: 0 };
    },
    endTrack: () => {},
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
  const preferences = memoryPreferences(options.saved === undefined ? {} : { [ENCODER_PREFERENCE_KEY]: options.saved });
  const projects = memoryProjects();
  const store = createAppStore({ videoOpener: opener, clock: { now: () => 0, nextFrame: () => () => {} }, segmenter, projects, ...agentTestDeps(), preferences, media: memoryMediaFor(projects) });
  return {
    store,
    loads,
    saved: () => preferences.load(ENCODER_PREFERENCE_KEY),
    hold: () => void (holdLoads = true),
    releaseLoads: () => waiting.splice(0).forEach((go) => go()),
  };
}

describe('the SAM encoder setting', () => {
  it('loads the default encoder when none was chosen, and a remembered choice otherwise (a bad value falls back)', async () => {
    const fresh = setUp();
    expect(fresh.store.getState().model.encoder).toBe(DEFAULT_ENCODER);
    await fresh.store.getState().loadModel();
    expect(fresh.loads).toEqual([DEFAULT_ENCODER]);
    expect(fresh.store.getState().model.info?.encoder).toBe(DEFAULT_ENCODER);

    const other: EncoderKind = DEFAULT_ENCODER === 'int8' ? 'fp32' : 'int8';
    const remembered = setUp({ saved: other });
    await remembered.store.getState().loadModel();
    expect(remembered.loads).toEqual([other]);
    expect(remembered.store.getState().model).toMatchObject({ status: 'ready', encoder: other, info: { encoder: other } });

    expect(setUp({ saved: 'int4' }).store.getState().model.encoder).toBe(DEFAULT_ENCODER);
  });

  it('choosing before the model loads only remembers it; the load then uses it', async () => {
    const { store, loads, saved } = setUp({ saved: 'int8' });
    expect(await store.getState().chooseEncoder('fp32')).toBe(true);
    expect(saved()).toBe('fp32');
    expect(loads).toEqual([]);
    expect(store.getState().model.status).toBe('idle');
    await store.getState().loadModel();
    expect(loads).toEqual(['fp32']);
  });

  it('choosing the other encoder while ready loads it at once, remembers it, and says which is loaded', async () => {
    const { store, loads, saved } = setUp({ saved: 'int8' });
    await store.getState().loadModel();
    const choosing = store.getState().chooseEncoder('fp32');
    expect(store.getState().model.status).toBe('loading');
    expect(await choosing).toBe(true);
    expect(loads).toEqual(['int8', 'fp32']);
    expect(saved()).toBe('fp32');
    expect(store.getState().model).toMatchObject({ status: 'ready', encoder: 'fp32', info: { encoder: 'fp32' } });
    // Asking for the model again does not load it again.
    expect(await store.getState().loadModel()).toBe(true);
    expect(loads).toEqual(['int8', 'fp32']);
  });

  it('a choice made while a load runs is loaded after it: what ends ready is what was chosen last', async () => {
    const { store, loads, hold, releaseLoads } = setUp({ saved: 'int8' });
    hold();
    const first = store.getState().loadModel();
    await Promise.resolve();
    void store.getState().chooseEncoder('fp32');
    releaseLoads();
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().model.status).toBe('loading'); // the fp32 load, after the int8 one
    releaseLoads();
    expect(await first).toBe(true);
    expect(loads).toEqual(['int8', 'fp32']);
    expect(store.getState().model).toMatchObject({ status: 'ready', info: { encoder: 'fp32' } });
  });

  it('is refused while a propagation runs (its trackers hold the running encoder), and works after it', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { store, loads, saved } = setUp({ saved: 'int8', gate });
    await store.getState().startup({ kind: 'url', url: 'http://x/v.mp4' });
    store.getState().loadAnnotations({
      instances: [{ id: 'a', name: 'man', color: '#f00', visible: true }],
      activeId: 'a',
      frames: { 'a@2': { prompts: [{ kind: 'point', x: 1, y: 1, positive: true }], mask: { rle: full, score: 0.9 } } },
    });
    store.getState().setPropagationSettings({ direction: 'forward', range: [2, 6] });
    const running = store.getState().propagate();
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().propagation.job).not.toBeNull();
    expect(await store.getState().chooseEncoder('fp32')).toBe(false);
    expect(saved()).toBe('int8');
    expect(store.getState().model.encoder).toBe('int8');
    open();
    await running;
    expect(await store.getState().chooseEncoder('fp32')).toBe(true);
    expect(loads).toEqual(['int8', 'fp32']);
  });
});
