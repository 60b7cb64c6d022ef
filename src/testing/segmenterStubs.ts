/** The propagation half of the Segmenter port, for tests that do not propagate. */
import type { Segmenter } from '../core/ports';
import type { FrameImage } from '../store/deps';

export const noTracking: Pick<Segmenter<FrameImage>, 'startTrack' | 'trackFrame' | 'endTrack'> = {
  startTrack: () => Promise.reject(new Error('no propagation in this test')),
  trackFrame: () => Promise.reject(new Error('no propagation in this test')),
  endTrack: () => {},
};
