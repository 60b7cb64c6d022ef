/** What the store needs from the outside world; the composition root passes the browser versions. */
import type { Segmenter, VideoOpener } from '../core/ports';
import type { ProjectRepository } from '../core/project/repository';

/** A drawable image the UI can show and must release (an ImageBitmap in the browser). */
export type FrameImage = ImageBitmap;

export interface Clock {
  now(): number;
  /** Calls `callback` before the next repaint; returns a cancel function. */
  nextFrame(callback: () => void): () => void;
}

export interface AppDeps {
  readonly videoOpener: VideoOpener<Blob, FrameImage>;
  readonly clock: Clock;
  readonly segmenter: Segmenter<FrameImage>;
  readonly projects: ProjectRepository<Blob>;
}
