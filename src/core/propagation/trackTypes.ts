/** What a tracker is given and says, frame by frame (tracker.ts drives it). */
import type { BinaryMask } from '../mask/rle';
import type { Prediction, SamPrompt } from '../segmentation/samDecoderIo';
import type { RgbaImage } from '../segmentation/samPreprocess';

export type TrackState = 'tracked' | 'low' | 'absent';

export interface TrackStep {
  /** 'low' = low confidence; 'absent' = the object is not in this frame (left, occluded). */
  readonly state: TrackState;
  /** 0..1, from the decoder's IoU prediction and mask consistency. */
  readonly confidence: number;
  /** null when absent. */
  readonly mask: BinaryMask | null;
  /** The mask's pooled embedding feature against the appearance memory (cosine); null when not computed. */
  readonly similarity?: number | null;
  /** The object had been lost and was found again on this frame by searching it. */
  readonly reacquired?: boolean;
  /** The mask is the answer to the frame's second prompt (hypotheses.ts), not to the followed one. */
  readonly second?: boolean;
}

/** One frame given to the tracker. */
export interface TrackFrame {
  readonly image: RgbaImage;
  /**
   * The frame's SAM image embedding, 256 channels of 64×64 (channel-major, as the encoder returns
   * it), or null when the caller has none. Read during the call only (a view is fine).
   */
  readonly embedding: Float32Array | null;
}

/**
 * What the tracker wants next on the frame it was given: a decoder call with this prompt (its
 * prediction goes to `accept`), or nothing more: the frame's step. A frame can take several
 * decoder calls (e.g. a second prompt where the object was lost), or none.
 */
export type TrackRequest = { readonly kind: 'decode'; readonly prompt: SamPrompt } | { readonly kind: 'done'; readonly step: TrackStep };

/**
 * A small state machine per frame: `begin(frame)`, then `accept(prediction)` for every 'decode'
 * request until a 'done'. `runTrackStep` (trackStep.ts) is that loop.
 */
export interface Tracker {
  begin(frame: TrackFrame): TrackRequest;
  accept(prediction: Prediction): TrackRequest;
}
