/**
 * Which frames of the whole video go with the question, at what size and in which encoding
 * (§2.1). One function, so that the loop and anything that prepares the frames ahead of Ask
 * (while the question is typed) ask the environment for exactly the same images.
 */
import type { EncodeOptions } from './ports';
import { sampleVideo, smartResize, type FrameSample } from './sampling';
import type { EndpointSettings } from './settings';

export interface QuestionFramePlan extends FrameSample {
  readonly encode: EncodeOptions;
}

export function questionFramePlan(
  settings: Pick<EndpointSettings, 'sampling' | 'imageFormat' | 'jpegQuality'>,
  video: { readonly timestamps: readonly number[]; readonly durationS: number; readonly width: number; readonly height: number },
): QuestionFramePlan {
  const { sampling } = settings;
  const sample = sampleVideo(video.timestamps, video.durationS, { fps: sampling.fps, minFrames: 1, maxFrames: sampling.maxFrames });
  const size = smartResize(video.height, video.width, { factor: sampling.factor, minPixels: sampling.minPixels, maxPixels: sampling.maxPixels });
  return { ...sample, encode: { ...size, format: settings.imageFormat, quality: settings.jpegQuality } };
}
