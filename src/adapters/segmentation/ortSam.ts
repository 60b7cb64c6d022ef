/**
 * Segment-Anything through onnxruntime-web: the encoder turns a frame into an embedding, the
 * decoder turns an embedding plus prompts into a mask. Tensor building and reading are the core's
 * pure functions; this file only moves typed arrays in and out of sessions, so it runs the same in
 * the browser worker and in Node tests. The runtime module is passed in, because the browser picks
 * between onnxruntime-web's builds at run time (see segmentationService.ts).
 */
import type * as ort from 'onnxruntime-web';
import { buildDecoderFeed, readPrediction, type Prediction, type SamPrompt } from '../../core/segmentation/samDecoderIo';
import { SAM_SIZE, type SamGeometry } from '../../core/segmentation/samGeometry';
import { buildEncoderInput, type RgbaImage } from '../../core/segmentation/samPreprocess';

export interface SamEmbedding {
  /** [1, 256, 64, 64] */
  readonly data: Float32Array;
  readonly geometry: SamGeometry;
}

/** An onnxruntime-web build: the default (with WebGPU), `onnxruntime-web/wasm`, or the Node one. */
export type OrtRuntime = typeof ort;

export interface SamSessions {
  readonly encoder: ort.InferenceSession;
  readonly decoder: ort.InferenceSession;
}

export async function encodeImage(runtime: OrtRuntime, encoder: ort.InferenceSession, image: RgbaImage): Promise<SamEmbedding> {
  const { tensor, geometry } = buildEncoderInput(image);
  const input = new runtime.Tensor('float32', tensor, [1, 3, SAM_SIZE, SAM_SIZE]);
  const out = await encoder.run({ [encoder.inputNames[0]!]: input });
  const embedding = out[encoder.outputNames[0]!];
  if (!embedding || embedding.type !== 'float32') throw new Error('The encoder returned no float32 embedding');
  const data = embedding.data as Float32Array;
  input.dispose();
  return { data, geometry };
}

export async function decodeMask(runtime: OrtRuntime, decoder: ort.InferenceSession, embedding: SamEmbedding, prompt: SamPrompt): Promise<Prediction> {
  const feed = buildDecoderFeed(embedding.geometry, prompt);
  const out = await decoder.run({
    image_embeddings: new runtime.Tensor('float32', embedding.data, [1, 256, 64, 64]),
    point_coords: new runtime.Tensor('float32', feed.pointCoords, [1, feed.numPoints, 2]),
    point_labels: new runtime.Tensor('float32', feed.pointLabels, [1, feed.numPoints]),
    mask_input: new runtime.Tensor('float32', feed.maskInput, [1, 1, 256, 256]),
    has_mask_input: new runtime.Tensor('float32', feed.hasMaskInput, [1]),
    orig_im_size: new runtime.Tensor('float32', feed.origImSize, [2]),
  });
  const masks = out['masks'];
  const iou = out['iou_predictions'];
  const lowRes = out['low_res_masks'];
  if (!masks || !iou || !lowRes) throw new Error('The decoder did not return masks, iou_predictions and low_res_masks');
  return readPrediction(embedding.geometry, {
    masks: masks.data as Float32Array,
    maskCount: masks.dims[1] ?? 1,
    iou: iou.data as Float32Array,
    lowRes: lowRes.data as Float32Array,
  });
}
