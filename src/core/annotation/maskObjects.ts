/**
 * Masks imported from a file (DAVIS PNGs, COCO / YouTube-VIS RLE) as objects of a video's
 * annotations: each mask a user mask on its frame with its box as the prompt, so it counts as an
 * anchor and propagation can start from it. An empty mask has no box and is skipped.
 */
import { rleBBox, type Rle } from '../mask/rle';
import { annotationKey, nextInstance, type AnnotationDoc, type FrameAnnotation } from './model';

/** One imported object: its id, its name, and its mask by frame. */
export interface MaskObject {
  readonly id: string;
  readonly name: string;
  readonly masks: ReadonlyMap<number, Rle>;
}

/** `doc` with `objects` added after its instances (the last one active), and how many masks were added. */
export function withMaskObjects(doc: AnnotationDoc, objects: readonly MaskObject[]): { readonly doc: AnnotationDoc; readonly added: number } {
  const instances = [...doc.instances];
  const frames: Record<string, FrameAnnotation> = { ...doc.frames };
  let added = 0;
  for (const object of objects) {
    const instance = { ...nextInstance(instances, object.id), name: object.name };
    instances.push(instance);
    for (const [frame, rle] of object.masks) {
      const box = rleBBox(rle);
      if (!box) continue;
      frames[annotationKey(instance.id, frame)] = { prompts: [{ kind: 'box', x0: box[0], y0: box[1], x1: box[0] + box[2], y1: box[1] + box[3] }], mask: { rle, score: 1 } };
      added++;
    }
  }
  return { doc: { instances, activeId: instances.at(-1)?.id ?? doc.activeId, frames }, added };
}
