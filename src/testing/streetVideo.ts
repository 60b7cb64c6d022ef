/**
 * The store tests' video: "street.mp4", 20 s at 10 fps, 64x48, whose frames encode to tiny data
 * URLs (each encode is logged), and a 10x12 px object mask at (20, 10).
 */
import type { EncodedImage } from '../core/agent/ports';
import type { DecodedFrame, FrameEncodeOptions, FrameSource, VideoOpener } from '../core/ports';
import { uniformTimestamps } from '../core/video/frameTimeline';
import type { AppStore } from '../store/appStore';
import type { FrameImage } from '../store/deps';

export const STREET_W = 64;
export const STREET_H = 48;
const image = (): FrameImage => ({ close() {} }) as unknown as FrameImage;

export interface EncodeCall {
  readonly indices: readonly number[];
  readonly options: FrameEncodeOptions;
}

export function streetVideo(encodeLog: EncodeCall[] = []): VideoOpener<Blob, FrameImage> {
  const source: FrameSource<FrameImage> = {
    info: { name: 'street.mp4', container: 'MP4', codec: 'avc1', width: STREET_W, height: STREET_H, durationS: 20, fps: 10, frameCount: 200, byteLength: 10, decoder: 'webcodecs' },
    timestamps: uniformTimestamps(200, 10),
    getFrame: async (index): Promise<DecodedFrame<FrameImage>> => ({ index, timeS: index / 10, image: image() }),
    getThumbnail: async (index) => ({ index, timeS: 0, image: image() }),
    async encodeFrames(indices, options): Promise<EncodedImage[]> {
      encodeLog.push({ indices: [...indices], options });
      return indices.map((i) => ({ url: `data:image/jpeg;base64,F${i}`, bytes: 100, width: options.width, height: options.height }));
    },
    close() {},
  };
  return { open: async () => ({ ok: true, source, bytes: new Blob(['v']), notice: null }) };
}

/** A 10x12 px object at (20, 10) of the street video (column-major RLE). */
export function streetObjectRle() {
  const counts = [20 * STREET_H + 10];
  for (let x = 0; x < 10; x++) counts.push(12, x === 9 ? 0 : STREET_H - 12);
  counts[counts.length - 1] = STREET_W * STREET_H - counts.slice(0, -1).reduce((a, b) => a + b, 0);
  return { size: [STREET_H, STREET_W] as [number, number], counts };
}

/** Two objects, "man" and "dog", each with a mask on frame 5 only. */
export function addStreetObjects(store: AppStore): void {
  store.getState().loadAnnotations({
    instances: [
      { id: 'man', name: 'man', color: '#f00', visible: true },
      { id: 'dog', name: 'dog', color: '#0f0', visible: true },
    ],
    activeId: 'man',
    frames: { 'man@5': { prompts: [], mask: { rle: streetObjectRle(), score: 0.9 } }, 'dog@5': { prompts: [], mask: { rle: streetObjectRle(), score: 0.9 } } },
  });
}
