/**
 * The loop that drives a tracker on one frame: begin, then one decoder call per 'decode' request,
 * until the tracker says what the frame is. The decoder is the caller's (the segmentation worker's
 * ONNX session, the benchmark's, a test's); this file only sequences the calls.
 */
import type { Prediction, SamPrompt } from '../segmentation/samDecoderIo';
import type { TrackFrame, TrackStep, Tracker } from './tracker';

export interface DrivenStep {
  readonly step: TrackStep;
  /** The decoder's IoU estimate for the last prediction (0 when the decoder was not called). */
  readonly score: number;
  readonly decoderCalls: number;
}

/** A tracker that keeps asking for decoder calls on one frame is a bug; this many is far beyond any method. */
export const MAX_DECODER_CALLS_PER_FRAME = 8;

export async function runTrackStep(tracker: Tracker, frame: TrackFrame, decode: (prompt: SamPrompt) => Promise<Prediction>): Promise<DrivenStep> {
  let request = tracker.begin(frame);
  let score = 0;
  let decoderCalls = 0;
  while (request.kind === 'decode') {
    if (decoderCalls === MAX_DECODER_CALLS_PER_FRAME) throw new Error(`The tracker asked for more than ${MAX_DECODER_CALLS_PER_FRAME} decoder calls on one frame`);
    const prediction = await decode(request.prompt);
    decoderCalls++;
    score = prediction.score;
    request = tracker.accept(prediction);
  }
  return { step: request.step, score, decoderCalls };
}
