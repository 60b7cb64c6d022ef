/** The propagation half of the Segmenter port, for tests that do not propagate. */
import type { Segmenter } from '../core/ports';
import type { FrameImage } from '../store/deps';

export const noTracking: Pick<Segmenter<FrameImage>, 'startTrack' | 'trackFrames' | 'endTrack'> = {
  startTrack: () => Promise.reject(new Error('no propagation in this test')),
  trackFrames: () => Promise.reject(new Error('no propagation in this test')),
  endTrack: () => {},
};

/** A segmenter that is always ready and never asked to segment (tests about asking, not masks). */
export const idleSegmenter: Segmenter<FrameImage> = {
  load: async () => ({ backend: 'wasm' as const, encoder: 'int8' as const, threads: 1, loadMs: 0, fromCache: true }),
  hasEmbedding: async () => true,
  prepare: async () => 0,
  segment: () => Promise.reject(new Error('not in this test')),
  ...noTracking,
  dispose() {},
};
