/** The video slice with a damaged file: fake frame sources that fail the way the worker reports it. */
import { describe, expect, it } from 'vitest';
import type { DecodedFrame, FrameSource, VideoInfo } from '../core/ports';
import { FrameDecodeError, type DataEnd } from '../core/video/damage';
import { uniformTimestamps } from '../core/video/frameTimeline';
import { agentTestDeps } from '../testing/agentTestDeps';
import { manualClock } from '../testing/manualClock';
import { memoryProjects } from '../testing/memoryProjects';
import { idleSegmenter } from '../testing/segmenterStubs';
import { createAppStore } from './appStore';
import type { FrameImage } from './deps';

class FakeImage {
  closed = false;
  constructor(readonly frame: number) {}
  close(): void {
    this.closed = true;
  }
}

/** 90 frames at 30 fps; `bad` frames fail to decode, frames from `dataEnd` on are not in the file. */
function damagedVideo(bad: ReadonlySet<number>, dataEnd: DataEnd | null = null) {
  const info: VideoInfo = {
    name: 'damaged.mp4',
    container: 'MP4',
    codec: 'avc1',
    width: 64,
    height: 48,
    durationS: 3,
    fps: 30,
    frameCount: 90,
    byteLength: 1,
    decoder: 'webcodecs',
    dataEnd,
  };
  const frame = async (index: number): Promise<DecodedFrame<FrameImage>> => {
    if (dataEnd && index >= dataEnd.firstMissingFrame) throw new FrameDecodeError({ frame: index, kind: 'missing', detail: 'no data' });
    if (bad.has(index)) throw new FrameDecodeError({ frame: index, kind: 'undecodable', detail: 'Decoder error.' });
    return { index, timeS: index / 30, image: new FakeImage(index) as unknown as FrameImage };
  };
  const source: FrameSource<FrameImage> = {
    info,
    timestamps: uniformTimestamps(90, 30),
    getFrame: frame,
    getThumbnail: (index) => frame(Math.floor(index / 30) * 30),
    encodeFrames: () => Promise.reject(new Error('not in this test')),
    close() {},
  };
  return source;
}

const flush = () => new Promise((r) => setTimeout(r, 0));

async function open(source: FrameSource<FrameImage>, clock = manualClock()) {
  const store = createAppStore({
    segmenter: idleSegmenter,
    projects: memoryProjects(),
    ...agentTestDeps(),
    clock: clock.clock,
    videoOpener: { open: async () => ({ ok: true, source, bytes: null, notice: null }) },
  });
  expect(await store.getState().openVideo({ kind: 'file', file: new Blob([]), name: 'damaged.mp4' })).toBe(true);
  await flush();
  return store;
}

describe('video slice: damaged files', () => {
  it('says at open how much of a cut file plays and marks the rest', async () => {
    const store = await open(damagedVideo(new Set(), { firstMissingFrame: 31, playableS: 31 / 30 }));
    const v = store.getState().video;
    expect(v.notice).toMatch(/^The file ends at 1\.0 s of 3\.0 s: frames after #30 cannot be shown/);
    expect(v.badFrames).toEqual([{ from: 31, to: 89, kind: 'missing' }]);
  });

  it('shows no stale picture for a frame that cannot be decoded, says so, marks it, and shows good frames again', async () => {
    const store = await open(damagedVideo(new Set([45])));
    store.getState().seek(20);
    await flush();
    const good = store.getState().video.frame!;
    expect(good.index).toBe(20);

    store.getState().seek(45);
    await flush();
    let v = store.getState().video;
    expect(v.frameIndex).toBe(45);
    expect(v.frame).toBeNull();
    expect(v.frameError).toBe('Frame #45 cannot be decoded: the file is damaged there (Decoder error.). Other frames still show.');
    expect(v.badFrames).toContainEqual({ from: 45, to: 45, kind: 'undecodable' });

    store.getState().seek(10);
    await flush();
    v = store.getState().video;
    expect(v.frame?.index).toBe(10);
    expect(v.frameError).toBeNull();
  });

  it('marks a thumbnail that cannot be decoded', async () => {
    // Thumbnails come from key frames 0, 30, 60; 60 is bad.
    const store = await open(damagedVideo(new Set([60])));
    for (let i = 0; i < 30 && store.getState().video.thumbnails.length < 16; i++) await flush();
    expect(store.getState().video.badFrames).toEqual([{ from: 60, to: 60, kind: 'undecodable' }]);
  });

  it('stops playing at the first frame that cannot be decoded', async () => {
    const clock = manualClock();
    const store = await open(damagedVideo(new Set([3])), clock);
    store.getState().play();
    for (let i = 0; i < 10 && store.getState().video.playing; i++) await clock.advance(1000 / 30);
    const v = store.getState().video;
    expect(v.playing).toBe(false);
    expect(v.frameIndex).toBe(3);
    expect(v.frameError).toMatch(/^Frame #3 cannot be decoded/);
  });
});
