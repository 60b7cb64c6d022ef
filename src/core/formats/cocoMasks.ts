/**
 * Masks as COCO-style JSON in the YouTube-VIS layout (one "video" with per-frame segmentations per
 * annotation), the format video instance segmentation tools read (youtubevos `ytvos.py`,
 * detectron2, mmdet):
 *
 *   { videos: [{id, file_names, width, height, length}],
 *     categories: [{id, name, supercategory}],
 *     annotations: [{id, video_id, category_id, segmentations, areas, bboxes, iscrowd: 0,
 *                    width, height}] }
 *
 * One annotation per instance; `segmentations[f]` is frame f's mask as COCO RLE with `counts` in
 * pycocotools' compressed string form, or null where the instance has no mask; `areas[f]` and
 * `bboxes[f]` ([x, y, w, h]) are computed from it (null with it; an empty mask has area 0 and bbox
 * [0, 0, 0, 0], as pycocotools gives). `file_names` are `<video>/<frame:05d>.jpg` (the frames
 * themselves are not exported). Instances have names, not classes: one category per distinct
 * instance name (first-seen order, ids from 1), so the names come back on import.
 *
 * Import accepts compressed and uncompressed RLE (`counts` as a string or a list of numbers),
 * refuses polygons, and checks every mask's size against its video.
 */
import { z } from 'zod';
import { compressRle, isValidRle, rleArea, rleBBox, rleFromString, type BBox, type CompressedRle, type Rle } from '../mask/rle';
import { fileStem, safeSegment } from './zipPaths';

export interface YtvisVideo {
  readonly id: number;
  readonly file_names: string[];
  readonly width: number;
  readonly height: number;
  readonly length: number;
}

export interface YtvisCategory {
  readonly id: number;
  readonly name: string;
  readonly supercategory: string;
}

export interface YtvisAnnotation {
  readonly id: number;
  readonly video_id: number;
  readonly category_id: number;
  readonly segmentations: (CompressedRle | null)[];
  readonly areas: (number | null)[];
  readonly bboxes: (BBox | null)[];
  readonly iscrowd: 0;
  readonly width: number;
  readonly height: number;
}

export interface YouTubeVisJson {
  readonly info: { readonly description: string };
  readonly videos: YtvisVideo[];
  readonly categories: YtvisCategory[];
  readonly annotations: YtvisAnnotation[];
}

export interface YouTubeVisInput {
  readonly video: { readonly name: string; readonly width: number; readonly height: number; readonly frameCount: number };
  readonly instances: readonly { readonly id: string; readonly name: string }[];
  /** The instance's mask on a frame (an anchor's or the propagated one), or null. */
  readonly maskAt: (instanceId: string, frame: number) => Rle | null;
}

/** `<video stem>/<frame:05d>.jpg`. */
export function ytvisFileName(videoName: string, frame: number): string {
  return `${safeSegment(fileStem(videoName))}/${String(frame).padStart(5, '0')}.jpg`;
}

/**
 * The YouTube-VIS JSON of one video's instances, in the order given. Throws a RangeError when a
 * mask is not a valid RLE of the video's size.
 */
export function toYouTubeVis({ video, instances, maskAt }: YouTubeVisInput): YouTubeVisJson {
  const { width, height, frameCount } = video;
  const file_names: string[] = [];
  for (let f = 0; f < frameCount; f++) file_names.push(ytvisFileName(video.name, f));
  const categoryIds = new Map<string, number>();
  const categories: YtvisCategory[] = [];
  for (const instance of instances) {
    if (categoryIds.has(instance.name)) continue;
    categoryIds.set(instance.name, categories.length + 1);
    categories.push({ id: categories.length + 1, name: instance.name, supercategory: 'object' });
  }
  const annotations = instances.map((instance, k): YtvisAnnotation => {
    const segmentations: (CompressedRle | null)[] = [];
    const areas: (number | null)[] = [];
    const bboxes: (BBox | null)[] = [];
    for (let f = 0; f < frameCount; f++) {
      const rle = maskAt(instance.id, f);
      if (rle === null) {
        segmentations.push(null);
        areas.push(null);
        bboxes.push(null);
        continue;
      }
      if (rle.size[0] !== height || rle.size[1] !== width || !isValidRle(rle)) {
        throw new RangeError(`The mask of "${instance.name}" on frame ${f} is not a valid ${width}x${height} RLE (size [${rle.size.join(', ')}])`);
      }
      segmentations.push(compressRle(rle));
      areas.push(rleArea(rle));
      bboxes.push(rleBBox(rle) ?? [0, 0, 0, 0]);
    }
    return { id: k + 1, video_id: 1, category_id: categoryIds.get(instance.name)!, segmentations, areas, bboxes, iscrowd: 0, width, height };
  });
  return {
    info: { description: 'VideoSeeker Studio masks (YouTube-VIS layout, COCO RLE)' },
    videos: [{ id: 1, file_names, width, height, length: frameCount }],
    categories,
    annotations,
  };
}

/**
 * The YouTube-VIS JSON of several videos (a dataset's masks in one file, as YouTube-VIS ships
 * them): videos numbered 1..n in the order given, annotations numbered across all of them, one
 * category per distinct instance name over the whole dataset.
 */
export function toYouTubeVisDataset(inputs: readonly YouTubeVisInput[]): YouTubeVisJson {
  const videos: YtvisVideo[] = [];
  const categories: YtvisCategory[] = [];
  const categoryIds = new Map<string, number>();
  const annotations: YtvisAnnotation[] = [];
  inputs.forEach((input, v) => {
    const one = toYouTubeVis(input);
    videos.push({ ...one.videos[0]!, id: v + 1 });
    const local = new Map(one.categories.map((c) => [c.id, c.name]));
    for (const a of one.annotations) {
      const name = local.get(a.category_id)!;
      if (!categoryIds.has(name)) {
        categoryIds.set(name, categories.length + 1);
        categories.push({ id: categories.length + 1, name, supercategory: 'object' });
      }
      annotations.push({ ...a, id: annotations.length + 1, video_id: v + 1, category_id: categoryIds.get(name)! });
    }
  });
  return { info: { description: 'VideoSeeker Studio masks (YouTube-VIS layout, COCO RLE)' }, videos, categories, annotations };
}

// ---------------------------------------------------------------------------------------------
// Import

const int = z.number().int();
const dim = int.positive();

const rleSchema = z.object({
  size: z.tuple([int.nonnegative(), int.nonnegative()]),
  counts: z.union([z.string(), z.array(int.nonnegative())]),
});

const fileSchema = z.object({
  videos: z.array(
    z.object({
      id: int,
      file_names: z.array(z.string()).optional(),
      width: dim,
      height: dim,
      length: int.nonnegative().optional(),
    }),
  ),
  categories: z.array(z.object({ id: int, name: z.string() })).optional(),
  annotations: z.array(
    z.object({
      id: int,
      video_id: int,
      category_id: int,
      segmentations: z.array(z.union([z.null(), rleSchema, z.array(z.unknown())])),
    }),
  ),
});

export interface ImportedInstance {
  /** The category's name ("object <id>" when the category is not listed). */
  readonly name: string;
  readonly annotationId: number;
  readonly categoryId: number;
  /** By frame; frames without a mask are absent. */
  readonly masks: Map<number, Rle>;
}

export interface ImportedVideo {
  readonly id: number;
  /** The folder of its file names ("bear" for "bear/00000.jpg"), else `video <id>`. */
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly frameCount: number;
}

export type YouTubeVisParse =
  | { readonly ok: true; readonly video: ImportedVideo; readonly instances: ImportedInstance[] }
  | { readonly ok: false; readonly error: string };

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : p === '' ? String(k) : `${p}.${String(k)}`), '');
}

type FileShape = z.infer<typeof fileSchema>;

/** The file's shape checked and its video ids unique, or the first problem named by its path. */
function checkShape(json: unknown): { readonly ok: true; readonly data: FileShape } | { readonly ok: false; readonly error: string } {
  const shape = fileSchema.safeParse(json);
  if (!shape.success) {
    const issue = shape.error.issues[0]!;
    return { ok: false, error: `${pathText(issue.path) || 'the file'}: ${issue.message}` };
  }
  const videoIds = new Set<number>();
  for (let i = 0; i < shape.data.videos.length; i++) {
    const id = shape.data.videos[i]!.id;
    if (videoIds.has(id)) return { ok: false, error: `videos[${i}].id ${id} is used by an earlier video` };
    videoIds.add(id);
  }
  return { ok: true, data: shape.data };
}

/** The folder of a video's file names ("bear" for "bear/00000.jpg"), else `video <id>`. */
function videoName(v: FileShape['videos'][number]): string {
  const firstName = v.file_names?.[0];
  const slash = firstName?.lastIndexOf('/') ?? -1;
  return firstName !== undefined && slash > 0 ? firstName.slice(0, slash) : `video ${v.id}`;
}

/**
 * One video's instances from a YouTube-VIS JSON: the only video, or `opts.videoId` when the file
 * has several. Never throws; the first problem is named by its path, e.g.
 * `annotations[2].segmentations[14]: size [480, 640] is not the video's [720, 1280]`.
 */
export function fromYouTubeVis(json: unknown, opts: { readonly videoId?: number } = {}): YouTubeVisParse {
  const shape = checkShape(json);
  if (!shape.ok) return shape;
  const { videos } = shape.data;
  let videoIndex: number;
  if (opts.videoId !== undefined) {
    videoIndex = videos.findIndex((v) => v.id === opts.videoId);
    if (videoIndex < 0) return { ok: false, error: `the file has no video with id ${opts.videoId}` };
  } else {
    if (videos.length !== 1) return { ok: false, error: `the file has ${videos.length} videos; choose one by its id` };
    videoIndex = 0;
  }
  return readVideo(shape.data, videoIndex);
}

/** What masks must fit: a video's frame size and length. */
export interface VideoSize {
  readonly width: number;
  readonly height: number;
  readonly frameCount: number;
}

/** The size and name of the video masks are imported onto. */
export interface TargetVideo extends VideoSize {
  /** Its file name ("bear.mp4"): a file video named "bear" (its stem) is this one. */
  readonly name: string;
}

/** A video of a project that masks may go onto. */
export interface ProjectVideoTarget {
  /**
   * The names a file's video may have to be this one, the first its file's stem ("bear" for
   * "Set/bear.mp4"), then others (the name an export gave its masks, see `exportStems`).
   */
  readonly stems: readonly string[];
  /** How messages name it: "the open video", "“Set/bear.mp4”". */
  readonly label: string;
  /** Null while unknown (a video never opened): the caller checks with `checkMasksFit` once it knows. */
  readonly size: VideoSize | null;
}

export interface CocoMasksRequest {
  readonly targets: readonly ProjectVideoTarget[];
  /**
   * The target a file of ONE video goes onto when that video is named as none of them but has
   * this target's frame size (a clip renamed since); null: no such fallback.
   */
  readonly fallback: number | null;
}

/** A file's video and its instances, for `targets[target]`. */
export interface MatchedVideoMasks {
  readonly target: number;
  readonly video: ImportedVideo;
  readonly instances: ImportedInstance[];
}

export type YouTubeVisForVideos =
  | {
      readonly ok: true;
      /** In the file's order; those whose target's size was null are not checked against it yet. */
      readonly matched: MatchedVideoMasks[];
      /** Why a file's video named as a target was not taken (another size, too many frames, a name of several targets). */
      readonly refused: string[];
      /** The file's videos named as none of the targets. */
      readonly unmatched: string[];
      /** Said when the fallback was used. */
      readonly note: string | null;
    }
  | { readonly ok: false; readonly error: string };

export type YouTubeVisForVideo =
  | { readonly ok: true; readonly video: ImportedVideo; readonly instances: ImportedInstance[]; readonly note: string | null }
  | { readonly ok: false; readonly error: string };

const LISTED_VIDEOS = 10;

const listed = (names: readonly string[]): string => `${names.slice(0, LISTED_VIDEOS).map((n) => `"${n}"`).join(', ')}${names.length > LISTED_VIDEOS ? ` and ${names.length - LISTED_VIDEOS} more` : ''}`;

/**
 * Why `instances` of the file's `video` cannot go onto a video of `size` (named `label`): another
 * frame size, or a mask on a frame it does not have; null when they fit.
 */
export function checkMasksFit(video: ImportedVideo, instances: readonly ImportedInstance[], label: string, size: VideoSize): string | null {
  if (video.width !== size.width || video.height !== size.height) return `the file's video "${video.name}" is ${video.width}×${video.height}, ${label} ${size.width}×${size.height}`;
  for (const instance of instances) {
    for (const frame of instance.masks.keys()) {
      if (frame >= size.frameCount) {
        return `track ${instance.annotationId} ("${instance.name}") has a mask on frame ${frame}, but ${label} has ${size.frameCount} frames (0–${size.frameCount - 1})`;
      }
    }
  }
  return null;
}

/**
 * The instances a YouTube-VIS JSON holds for each of `targets`: a file's video goes onto the target
 * that has its name among its stems (case aside); a name several targets share is refused (the
 * file cannot say which), as is a video whose size or length does not fit its target. When no
 * video is named as any target, a file of one video goes onto `fallback` if the frame sizes agree
 * (`note` says so); else it is an error that lists the videos the file has. The whole file's
 * shape is checked, and every annotation of a matched video. Never throws.
 */
export function youTubeVisForVideos(json: unknown, { targets, fallback }: CocoMasksRequest): YouTubeVisForVideos {
  const shape = checkShape(json);
  if (!shape.ok) return shape;
  const { videos } = shape.data;
  const byName = new Map<string, number[]>();
  targets.forEach((t, k) => {
    for (const key of new Set(t.stems.flatMap((stem) => [stem.toLowerCase(), safeSegment(stem).toLowerCase()]))) byName.set(key, [...(byName.get(key) ?? []), k]);
  });
  const names = videos.map(videoName);
  const matched: MatchedVideoMasks[] = [];
  const refused: string[] = [];
  const unmatched: string[] = [];
  /** Reads the file's video `videoIndex` for `targets[target]`; returns the file's problem if it has one. */
  const take = (videoIndex: number, target: number): string | null => {
    const read = readVideo(shape.data, videoIndex);
    if (!read.ok) return read.error;
    const { label, size } = targets[target]!;
    const misfit = size === null ? null : checkMasksFit(read.video, read.instances, label, size);
    if (misfit !== null) refused.push(misfit);
    else matched.push({ target, video: read.video, instances: read.instances });
    return null;
  };
  for (let i = 0; i < videos.length; i++) {
    const found = byName.get(names[i]!.toLowerCase()) ?? [];
    if (found.length === 0) {
      unmatched.push(names[i]!);
    } else if (found.length > 1) {
      refused.push(`the file's video "${names[i]!}" is named as ${found.length} videos of this project (${found.map((k) => targets[k]!.label).join(', ')}), so it cannot say which one its masks are of`);
    } else {
      const failed = take(i, found[0]!);
      if (failed !== null) return { ok: false, error: failed };
    }
  }
  if (matched.length > 0 || refused.length > 0) return { ok: true, matched, refused, unmatched, note: null };
  const only = targets.length === 1 ? `named "${targets[0]!.stems[0]!}"` : `named as one of this project's ${targets.length} videos`;
  const fallbackTarget = fallback === null ? undefined : targets[fallback];
  if (videos.length === 1 && fallbackTarget !== undefined && fallbackTarget.size !== null) {
    const v = videos[0]!;
    const stem = fallbackTarget.stems[0]!;
    const size = fallbackTarget.size;
    if (v.width !== size.width || v.height !== size.height) {
      return { ok: false, error: `the file's only video, "${names[0]!}", is not named "${stem}" and is ${v.width}×${v.height}, ${fallbackTarget.label} ${size.width}×${size.height}` };
    }
    const failed = take(0, fallback!);
    if (failed !== null) return { ok: false, error: failed };
    if (matched.length === 0) return { ok: false, error: refused[0]! };
    return { ok: true, matched, refused, unmatched: [], note: `The file's only video, "${names[0]!}", is not named "${stem}" but has its frame size (${size.width}×${size.height}), so its masks were put on this video.` };
  }
  if (videos.length === 1) return { ok: false, error: `the file's only video, "${names[0]!}", is not ${only}` };
  return { ok: false, error: videos.length === 0 ? 'the file lists no videos' : `none of the file's ${videos.length} videos is ${only}; it has ${listed(names)}` };
}

/**
 * The instances a YouTube-VIS JSON holds for one `target` (the open video): `youTubeVisForVideos`
 * with that target alone, its only video taken when it has the target's frame size. Never throws.
 */
export function youTubeVisForVideo(json: unknown, target: TargetVideo): YouTubeVisForVideo {
  const read = youTubeVisForVideos(json, { targets: [{ stems: [fileStem(target.name)], label: 'the open video', size: target }], fallback: 0 });
  if (!read.ok) return read;
  const [first] = read.matched;
  if (first === undefined) return { ok: false, error: read.refused[0] ?? 'no video of the file is this one' };
  return { ok: true, video: first.video, instances: first.instances, note: read.note };
}

/** The instances of `data.videos[videoIndex]`, every annotation checked. */
function readVideo(data: FileShape, videoIndex: number): YouTubeVisParse {
  const { videos, categories = [], annotations } = data;
  const videoIds = new Set(videos.map((v) => v.id));
  const v = videos[videoIndex]!;
  const frameCount = v.length ?? v.file_names?.length;
  if (frameCount === undefined) return { ok: false, error: `videos[${videoIndex}] has neither "length" nor "file_names"` };
  if (v.file_names !== undefined && v.file_names.length !== frameCount) {
    return { ok: false, error: `videos[${videoIndex}] has ${v.file_names.length} file_names but length ${frameCount}` };
  }
  const video: ImportedVideo = { id: v.id, name: videoName(v), width: v.width, height: v.height, frameCount };
  const categoryNames = new Map<number, string>();
  for (let i = 0; i < categories.length; i++) {
    if (categoryNames.has(categories[i]!.id)) return { ok: false, error: `categories[${i}].id ${categories[i]!.id} is used by an earlier category` };
    categoryNames.set(categories[i]!.id, categories[i]!.name);
  }
  const annotationIds = new Set<number>();
  const instances: ImportedInstance[] = [];
  for (let a = 0; a < annotations.length; a++) {
    const ann = annotations[a]!;
    const at = `annotations[${a}]`;
    if (annotationIds.has(ann.id)) return { ok: false, error: `${at}.id ${ann.id} is used by an earlier annotation` };
    annotationIds.add(ann.id);
    if (!videoIds.has(ann.video_id)) return { ok: false, error: `${at}.video_id ${ann.video_id} is not the id of one of the videos` };
    if (categories.length > 0 && !categoryNames.has(ann.category_id)) return { ok: false, error: `${at}.category_id ${ann.category_id} is not the id of one of the categories` };
    if (ann.video_id !== v.id) continue;
    if (ann.segmentations.length !== frameCount) {
      return { ok: false, error: `${at}.segmentations has ${ann.segmentations.length} entries, but the video has ${frameCount} frames` };
    }
    const masks = new Map<number, Rle>();
    for (let f = 0; f < frameCount; f++) {
      const seg = ann.segmentations[f];
      if (seg === null || seg === undefined) continue;
      const where = `${at}.segmentations[${f}]`;
      if (Array.isArray(seg)) return { ok: false, error: `${where}: polygons are not supported, only RLE masks` };
      if (seg.size[0] !== v.height || seg.size[1] !== v.width) {
        return { ok: false, error: `${where}: size [${seg.size.join(', ')}] is not the video's [${v.height}, ${v.width}]` };
      }
      let counts: number[];
      if (typeof seg.counts === 'string') {
        try {
          counts = rleFromString(seg.counts);
        } catch (e) {
          return { ok: false, error: `${where}.counts: ${e instanceof Error ? e.message : String(e)}` };
        }
      } else {
        counts = seg.counts;
      }
      const rle: Rle = { size: [seg.size[0], seg.size[1]], counts };
      if (!isValidRle(rle)) {
        const total = counts.reduce((s, c) => s + c, 0);
        return { ok: false, error: `${where}.counts add up to ${total} pixels, but size [${seg.size.join(', ')}] has ${seg.size[0] * seg.size[1]}` };
      }
      masks.set(f, rle);
    }
    instances.push({ name: categoryNames.get(ann.category_id) ?? `object ${ann.category_id}`, annotationId: ann.id, categoryId: ann.category_id, masks });
  }
  return { ok: true, video, instances };
}

/**
 * `youTubeVisForVideos` for a file's text, as read (a coco.json can be hundreds of MB: the browser
 * runs this in a worker, once for all the project's videos). Errors name the file. Never throws.
 */
export function youTubeVisTextForVideos(name: string, text: string, request: CocoMasksRequest): YouTubeVisForVideos {
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (e) {
    return { ok: false, error: `"${name}" is not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const read = youTubeVisForVideos(json, request);
  return read.ok ? read : { ok: false, error: `"${name}": ${read.error}` };
}
