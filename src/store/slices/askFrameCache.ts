/**
 * The last few sets of encoded frames, so that queries asked together (every style, ask again)
 * encode the video's 64 frames once. Keyed by video, frames and encoding; a failed encoding is
 * not kept.
 */
import type { EncodedImage } from '../../core/agent/ports';
import type { FrameEncodeOptions } from '../../core/ports';

const KEEP = 3;

export interface FrameCache {
  get(sourceId: number | string, indices: readonly number[], options: FrameEncodeOptions, encode: () => Promise<EncodedImage[]>): Promise<EncodedImage[]>;
  clear(): void;
}

export function createFrameCache(): FrameCache {
  const entries = new Map<string, Promise<EncodedImage[]>>();
  return {
    get(sourceId, indices, options, encode) {
      // Overlays are drawn per query: never share those.
      if (options.overlay) return encode();
      const key = JSON.stringify([sourceId, indices, options.width, options.height, options.format, options.quality]);
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      const work = encode();
      entries.set(key, work);
      work.catch(() => entries.delete(key));
      while (entries.size > KEEP) entries.delete(entries.keys().next().value!);
      return work;
    },
    clear() {
      entries.clear();
    },
  };
}
