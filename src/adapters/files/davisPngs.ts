/**
 * DAVIS index-map PNGs for an export: each frame's map painted from its RLEs and written as an
 * indexed PNG with the DAVIS palette. This is the work itself; the browser runs it in a worker
 * (davisPngWorker.ts), tests call it directly.
 */
import { DAVIS_PALETTE, indexMapOfFrame, type DavisPng, type DavisPngRequest } from '../../core/formats/davisIndex';
import { encodeIndexedPng } from './png';

export function encodeDavisPngs(request: DavisPngRequest): DavisPng[] {
  const { width, height } = request;
  return request.frames.map((frame) => ({ frame: frame.frame, png: encodeIndexedPng(indexMapOfFrame(frame, { width, height }), width, height, DAVIS_PALETTE) }));
}
