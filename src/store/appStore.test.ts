/** The store driven through its public actions with fake adapters: no browser, no decoder. */
import { describe, expect, it } from 'vitest';
import type { DecodedFrame, FrameSource, OpenOutcome, VideoInfo, VideoOpener, VideoRequest } from '../core/ports';
import { uniformTimestamps } from '../core/video/frameTimeline';
import { actionForKey, actions } from './actions';
import { createAppStore as createStoreWithDeps } from './appStore';
import type { AppDeps, FrameImage } from './deps';
import type { Segmenter } from '../core/ports';
import { agentTestDeps } from '../testing/agentTestDeps';
import { manualClock } from '../testing/manualClock';
import { noTracking } from '../testing/segmenterStubs';
import { memoryProjects } from '../testing/memoryProjects';

/** A segmenter that must not be used by these tests unless they replace it. */
const unusedSegmenter: Segmenter<FrameImage> = {
  load: () => Promise.reject(new Error('not in this test')),
  hasEmbedding: () => Promise.resolve(false),
  prepare: () => Promise.reject(new Error('not in this test')),
  segment: () => Promise.reject(new Error('not in this test')),
  ...noTracking,
  dispose: () => {},
};

function createAppStore(deps: Pick<AppDeps, 'videoOpener' | 'clock'> & { segmenter?: Segmenter<FrameImage> }) {
  return createStoreWithDeps({ segmenter: unusedSegmenter, projects: memoryProjects(), ...agentTestDeps(), ...deps });
}

class FakeImage {
  closed = false;
  constructor(readonly label: string) {}
  close(): void {
    this.closed = true;
  }
}

function fakeSource(name: string, frameCount: number, fps: number, delays: Map<number, Promise<void>> = new Map()) {
  const requested: number[] = [];
  const info: VideoInfo = {
    name,
    container: 'MP4',
    codec: 'avc1.64001f',
    width: 640,
    height: 360,
    durationS: frameCount / fps,
    fps,
    frameCount,
    byteLength: 1,
    decoder: 'webcodecs',
  };
  let closed = false;
  const source: FrameSource<FrameImage> = {
    info,
    timestamps: uniformTimestamps(frameCount, fps),
    async getFrame(index): Promise<DecodedFrame<FrameImage>> {
      requested.push(index);
      await delays.get(index);
      return { index, timeS: index / fps, image: new FakeImage(`${name}#${index}`) as unknown as FrameImage };
    },
    async getThumbnail(index) {
      return { index, timeS: index / fps, image: new FakeImage(`thumb ${index}`) as unknown as FrameImage };
    },
    encodeFrames: () => Promise.reject(new Error('not in this test')),
    close() {
      closed = true;
    },
  };
  return { source, requested, isClosed: () => closed };
}

function fakeOpener(outcomes: Map<string, () => OpenOutcome<FrameImage>>): VideoOpener<Blob, FrameImage> {
  return {
    async open(request: VideoRequest<Blob>) {
      const key = request.kind === 'url' ? request.url : request.name;
      const make = outcomes.get(key);
      if (!make) throw new Error(`unexpected ${key}`);
      return make();
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('app store: video', () => {
  it('opens a video, shows frame 0, then loads thumbnails', async () => {
    const a = fakeSource('a.mp4', 90, 30);
    const store = createAppStore({
      videoOpener: fakeOpener(new Map([['a.mp4', () => ({ ok: true, source: a.source, bytes: null, notice: null })]])),
      clock: manualClock().clock,
    });
    expect(await store.getState().openVideo({ kind: 'file', file: new Blob([]), name: 'a.mp4' })).toBe(true);
    const s = store.getState();
    expect(s.video.info?.name).toBe('a.mp4');
    expect(s.video.frame?.index).toBe(0);
    expect(s.video.opening).toBeNull();
    await flush();
    expect(store.getState().video.thumbnails.length).toBeGreaterThan(0);
  });

  it('keeps the current video, frame and position when a new one fails to open', async () => {
    const a = fakeSource('a.mp4', 90, 30);
    const store = createAppStore({
      videoOpener: fakeOpener(
        new Map<string, () => OpenOutcome<FrameImage>>([
          ['a.mp4', () => ({ ok: true, source: a.source, bytes: null, notice: null })],
          ['bad.txt', () => ({ ok: false, error: { kind: 'not-video', title: 'Could not open “bad.txt”', message: 'nope' } })],
        ]),
      ),
      clock: manualClock().clock,
    });
    await store.getState().openVideo({ kind: 'file', file: new Blob([]), name: 'a.mp4' });
    store.getState().seek(42);
    await flush();
    const frameBefore = store.getState().video.frame;
    expect(await store.getState().openVideo({ kind: 'file', file: new Blob([]), name: 'bad.txt' })).toBe(false);
    const s = store.getState();
    expect(s.video.openError?.kind).toBe('not-video');
    expect(s.video.info?.name).toBe('a.mp4');
    expect(s.video.frameIndex).toBe(42);
    expect(s.video.frame).toBe(frameBefore);
    expect((frameBefore?.image as unknown as FakeImage).closed).toBe(false);
    expect(a.isClosed()).toBe(false);
    s.dismissVideoMessages();
    expect(store.getState().video.openError).toBeNull();
  });

  it('replacing a video closes the old source and releases its images', async () => {
    const a = fakeSource('a.mp4', 10, 10);
    const b = fakeSource('b.mp4', 10, 10);
    const clock = manualClock();
    const store = createAppStore({
      videoOpener: fakeOpener(
        new Map<string, () => OpenOutcome<FrameImage>>([
          ['a.mp4', () => ({ ok: true, source: a.source, bytes: null, notice: null })],
          ['b.mp4', () => ({ ok: true, source: b.source, bytes: null, notice: null })],
        ]),
      ),
      clock: clock.clock,
    });
    await store.getState().openVideo({ kind: 'file', file: new Blob([]), name: 'a.mp4' });
    await flush();
    const oldFrame = store.getState().video.frame!.image as unknown as FakeImage;
    const oldThumbs = store.getState().video.thumbnails.map((t) => t.image as unknown as FakeImage);
    await store.getState().openVideo({ kind: 'file', file: new Blob([]), name: 'b.mp4' });
    expect(a.isClosed()).toBe(true);
    // Released two repaints later, once nothing can draw them any more.
    expect(oldFrame.closed).toBe(false);
    await clock.advance(16);
    await clock.advance(16);
    expect(oldFrame.closed).toBe(true);
    expect(oldThumbs.every((t) => t.closed)).toBe(true);
    expect(store.getState().video.info?.name).toBe('b.mp4');
  });

  it('while scrubbing, only the newest requested frame is decoded after the one in flight', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = fakeSource('a.mp4', 100, 25, new Map([[5, gate]]));
    const store = createAppStore({
      videoOpener: fakeOpener(new Map([['a.mp4', () => ({ ok: true, source: a.source, bytes: null, notice: null })]])),
      clock: manualClock().clock,
    });
    await store.getState().openVideo({ kind: 'file', file: new Blob([]), name: 'a.mp4' });
    a.requested.length = 0;
    for (const i of [5, 6, 7, 8, 9]) store.getState().seek(i);
    expect(store.getState().video.frameIndex).toBe(9);
    release();
    await flush();
    await flush();
    expect(a.requested.filter((i) => i >= 5)).toEqual([5, 9]);
    expect(store.getState().video.frame?.index).toBe(9);
  });

  it('steps by frames and seconds, clamped to the video', async () => {
    const a = fakeSource('a.mp4', 50, 10);
    const store = createAppStore({
      videoOpener: fakeOpener(new Map([['a.mp4', () => ({ ok: true, source: a.source, bytes: null, notice: null })]])),
      clock: manualClock().clock,
    });
    await store.getState().openVideo({ kind: 'file', file: new Blob([]), name: 'a.mp4' });
    const s = store.getState();
    s.stepFrames(-1);
    expect(store.getState().video.frameIndex).toBe(0);
    s.stepSeconds(1);
    expect(store.getState().video.frameIndex).toBe(10);
    s.stepFrames(3);
    expect(store.getState().video.frameIndex).toBe(13);
    s.seekTime(4.25);
    expect(store.getState().video.frameIndex).toBe(42);
    s.stepSeconds(1);
    expect(store.getState().video.frameIndex).toBe(49);
  });

  it('plays in real time and stops at the end', async () => {
    const a = fakeSource('a.mp4', 20, 10);
    const clock = manualClock();
    const store = createAppStore({
      videoOpener: fakeOpener(new Map([['a.mp4', () => ({ ok: true, source: a.source, bytes: null, notice: null })]])),
      clock: clock.clock,
    });
    await store.getState().openVideo({ kind: 'file', file: new Blob([]), name: 'a.mp4' });
    store.getState().play();
    expect(store.getState().video.playing).toBe(true);
    await clock.advance(500);
    expect(store.getState().video.frameIndex).toBe(5);
    await clock.advance(1000);
    expect(store.getState().video.frameIndex).toBe(15);
    await clock.advance(600); // 2.1 s: past the end (20 frames at 10 fps)
    expect(store.getState().video.playing).toBe(false);
    expect(store.getState().video.frameIndex).toBe(19);
    // Play at the end starts again from the beginning.
    store.getState().play();
    expect(store.getState().video.frameIndex).toBe(0);
    store.getState().pause();
    expect(store.getState().video.playing).toBe(false);
  });
});

describe('app store: actions and view', () => {
  it('routes keys to enabled actions only', async () => {
    const store = createAppStore({ videoOpener: fakeOpener(new Map()), clock: manualClock().clock });
    const k = (key: string, shiftKey = false) => ({ key, shiftKey, ctrlKey: false, metaKey: false, altKey: false });
    expect(actionForKey(k('ArrowRight'), store.getState())).toBeNull(); // no video yet
    expect(actionForKey(k('h'), store.getState())).toBe(actions.handTool);
    actions.handTool.perform(store);
    expect(store.getState().view.tool).toBe('hand');
  });

  it('zooms around a point and fits again', async () => {
    const a = fakeSource('a.mp4', 10, 10);
    const store = createAppStore({
      videoOpener: fakeOpener(new Map([['a.mp4', () => ({ ok: true, source: a.source, bytes: null, notice: null })]])),
      clock: manualClock().clock,
    });
    store.getState().setStageSize({ width: 1280, height: 720 });
    await store.getState().openVideo({ kind: 'file', file: new Blob([]), name: 'a.mp4' });
    const fit = store.getState().view.viewport;
    expect(store.getState().view.fitted).toBe(true);
    store.getState().zoomBy(2);
    expect(store.getState().view.viewport.scale).toBeCloseTo(fit.scale * 2, 9);
    expect(store.getState().view.fitted).toBe(false);
    store.getState().setStageSize({ width: 1000, height: 700 });
    expect(store.getState().view.viewport.scale).toBeCloseTo(fit.scale * 2, 9); // not refitted
    store.getState().resetView();
    expect(store.getState().view.fitted).toBe(true);
    expect(store.getState().view.viewport.scale).toBeCloseTo(Math.min((1000 - 32) / 640, (700 - 32) / 360), 9);
  });
});

describe('app store: model', () => {
  it('goes loading → ready with progress, and reports the backend', async () => {
    const progress: number[] = [];
    let finish!: () => void;
    const gate = new Promise<void>((r) => (finish = r));
    const segmenter: Segmenter<FrameImage> = {
      ...unusedSegmenter,
      async load(onProgress) {
        onProgress({ loaded: 10, total: 100 });
        await gate;
        onProgress({ loaded: 100, total: 100 });
        return { backend: 'wasm', encoder: 'int8', threads: 2, loadMs: 5, fromCache: false };
      },
    };
    const store = createAppStore({ videoOpener: fakeOpener(new Map()), clock: manualClock().clock, segmenter });
    store.subscribe((s) => s.model.progress && progress.push(s.model.progress.loaded));
    const loading = store.getState().loadModel();
    expect(store.getState().model.status).toBe('loading');
    expect(store.getState().loadModel()).toBe(loading); // one load at a time
    finish();
    expect(await loading).toBe(true);
    expect(store.getState().model).toMatchObject({ status: 'ready', info: { backend: 'wasm', threads: 2 } });
    expect(progress).toEqual([10, 100]);
  });

  it('shows an error and can be retried', async () => {
    let attempts = 0;
    const segmenter: Segmenter<FrameImage> = {
      ...unusedSegmenter,
      async load() {
        attempts++;
        if (attempts === 1) throw new Error('Could not download models/encoder.onnx: HTTP 404');
        return { backend: 'wasm', encoder: 'int8', threads: 1, loadMs: 1, fromCache: true };
      },
    };
    const store = createAppStore({ videoOpener: fakeOpener(new Map()), clock: manualClock().clock, segmenter });
    expect(await store.getState().loadModel()).toBe(false);
    expect(store.getState().model).toMatchObject({ status: 'error', error: 'Could not download models/encoder.onnx: HTTP 404' });
    expect(await store.getState().loadModel()).toBe(true);
    expect(store.getState().model.status).toBe('ready');
  });
});
