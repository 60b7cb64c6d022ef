/**
 * Entry names and layout of the V2P-Bench / VideoSeeker Studio ZIP (and of a picked folder, whose
 * relative paths are read the same way), plus the size limits checked before an entry is read.
 *
 * Layout (all names relative to the archive root, "/" separated):
 *   dataset_info.json                         V2P-Bench records (JSON array)
 *   videos/<video_path>                       the original files; <video_path> as in the records,
 *                                             for items made here `<video>.<ext>`
 *   frames/<frame_path>                       the visual prompt frames; for items made here
 *                                             `<video>/<item>.jpg`
 *   studio.json                               the project, to restore it exactly
 *   masks/coco.json                           YouTube-VIS-style COCO JSON (cocoMasks.ts)
 *   masks/davis/<video>/<frame:05d>.png       DAVIS-style indexed PNG per frame: pixel value =
 *                                             instance number (1..n, davisIndex.ts), 0 background,
 *                                             the DAVIS palette. One folder per video, as DAVIS
 *                                             `Annotations/480p/<sequence>/00000.png`.
 * An archive may hold only some of these; a V2P-Bench download may have its JSON under another
 * name (`dataset_info*.json`).
 */

/** Why `name` is not an acceptable entry name, or null when it is. A trailing "/" marks a folder entry. */
export function checkZipEntryName(name: string): string | null {
  if (name.length === 0) return 'an entry has an empty name';
  const shown = printableName(name);
  if (name.includes('\0')) return `"${shown}" contains a NUL character`;
  if (name.includes('\\')) return `"${shown}" contains a backslash (only "/" may separate folders)`;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return `"${shown}" is an absolute path`;
  const segments = (name.endsWith('/') ? name.slice(0, -1) : name).split('/');
  if (segments.includes('..')) return `"${shown}" contains a ".." segment`;
  if (segments.includes('.')) return `"${shown}" contains a "." segment`;
  if (segments.includes('')) return `"${shown}" contains an empty segment ("//")`;
  return null;
}

/** Names go into messages: control characters replaced, at most 200 characters. */
export function printableName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}

/** Litter added by archivers and pickers (macOS resource forks and Finder files, Windows thumbnails): skipped. */
export function isSystemJunk(name: string): boolean {
  if (name.startsWith('__MACOSX/')) return true;
  const base = name.slice(name.lastIndexOf('/') + 1);
  return base === '.DS_Store' || base === 'Thumbs.db' || base === 'desktop.ini';
}

export const DATASET_INFO = 'dataset_info.json';
export const STUDIO_JSON = 'studio.json';
export const COCO_MASKS = 'masks/coco.json';
export const VIDEOS_DIR = 'videos/';
export const FRAMES_DIR = 'frames/';
export const DAVIS_DIR = 'masks/davis/';

/**
 * A name made safe as ONE path segment (a video or item name from the user): separators, control
 * characters and characters Windows refuses become "_", "." / ".." and empty names become "_",
 * at most 120 characters.
 */
export function safeSegment(name: string): string {
  // eslint-disable-next-line no-control-regex
  let s = name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').trim();
  if (s.length > 120) s = s.slice(0, 120);
  if (s === '' || s === '.' || s === '..') return '_';
  return s;
}

/** `clip.final.mp4` → `clip.final`; a name without extension is its own stem. */
export function fileStem(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** `clip.MP4` → `mp4`; '' without extension. */
export function fileExtension(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** A record's `video_path` (relative to videos/) for a video file made here: `<stem>.<ext>`. */
export function v2pVideoPath(videoFileName: string): string {
  const ext = fileExtension(videoFileName);
  const stem = safeSegment(fileStem(videoFileName));
  return ext === '' ? stem : `${stem}.${safeSegment(ext)}`;
}

/** A record's `frame_path` (relative to frames/) for an item made here: `<video>/<item>.jpg`. */
export function v2pFramePath(videoId: string, itemName: string): string {
  return `${safeSegment(videoId)}/${safeSegment(itemName)}.jpg`;
}

/** The entry of a record's video: `videos/<video_path>`. */
export function videoEntry(videoPath: string): string {
  return VIDEOS_DIR + videoPath;
}

/** The entry of a record's frame: `frames/<frame_path>`. */
export function frameEntry(framePath: string): string {
  return FRAMES_DIR + framePath;
}

/**
 * The name each video's masks go under in an export (`masks/davis/<name>/`, `<name>/00000.jpg` in
 * masks/coco.json), in the order of `paths` (the videos' paths in the project): its file's stem;
 * where several videos share a stem (`A/clip.mp4`, `B/clip.mp4`; case aside, as file systems
 * fold it), the path without its extension, "/" as "_" (`A_clip`). Each safe as one segment and
 * unique (`_2`, `_3`, ... in the rare case that still collides).
 */
export function exportStems(paths: readonly string[]): string[] {
  const stems = paths.map((p) => safeSegment(fileStem(p)));
  const counts = new Map<string, number>();
  for (const s of stems) counts.set(s.toLowerCase(), (counts.get(s.toLowerCase()) ?? 0) + 1);
  const taken = new Set<string>();
  return paths.map((path, i) => {
    const base = path.slice(path.lastIndexOf('/') + 1);
    const name = counts.get(stems[i]!.toLowerCase())! > 1 ? safeSegment(`${path.slice(0, path.length - base.length)}${fileStem(base)}`.replace(/\//g, '_')) : stems[i]!;
    let unique = name;
    for (let n = 2; taken.has(unique.toLowerCase()); n++) unique = `${name}_${n}`;
    taken.add(unique.toLowerCase());
    return unique;
  });
}

/** DAVIS frame file name: `00000.png` (5 digits, more when needed). */
export function davisFrameName(frame: number): string {
  return `${String(frame).padStart(5, '0')}.png`;
}

/** `masks/davis/<video>/<frame:05d>.png`. */
export function davisEntry(videoId: string, frame: number): string {
  return `${DAVIS_DIR}${safeSegment(videoId)}/${davisFrameName(frame)}`;
}

export type EntryKind =
  | { readonly kind: 'dataset' }
  | { readonly kind: 'studio' }
  | { readonly kind: 'coco' }
  | { readonly kind: 'davis'; readonly video: string; readonly frame: number }
  | { readonly kind: 'video'; readonly path: string }
  | { readonly kind: 'frame'; readonly path: string }
  | { readonly kind: 'other' };

const DAVIS_ENTRY = /^masks\/davis\/([^/]+)\/(\d{1,9})\.png$/i;
const DATASET_ENTRY = /^dataset_info[^/]*\.json$/;

/**
 * What an entry of the layout is. Call with a name `checkZipEntryName` accepted. The root may be
 * one folder deep (a ZIP of a folder): strip it first with `commonRoot`.
 */
export function classifyEntry(name: string): EntryKind {
  if (DATASET_ENTRY.test(name)) return { kind: 'dataset' };
  if (name === STUDIO_JSON) return { kind: 'studio' };
  if (name === COCO_MASKS) return { kind: 'coco' };
  const davis = DAVIS_ENTRY.exec(name);
  if (davis) return { kind: 'davis', video: davis[1]!, frame: Number(davis[2]) };
  if (name.startsWith(VIDEOS_DIR) && !name.endsWith('/') && name.length > VIDEOS_DIR.length) return { kind: 'video', path: name.slice(VIDEOS_DIR.length) };
  if (name.startsWith(FRAMES_DIR) && !name.endsWith('/') && name.length > FRAMES_DIR.length) return { kind: 'frame', path: name.slice(FRAMES_DIR.length) };
  return { kind: 'other' };
}

/**
 * The single top folder every file entry is under ("set/" for a ZIP made by zipping a folder
 * "set"), when no dataset or studio file is at the root; '' otherwise. Strip it before classifying.
 */
export function commonRoot(names: readonly string[]): string {
  const files = names.filter((n) => !n.endsWith('/') && !isSystemJunk(n));
  if (files.length === 0 || files.some((n) => DATASET_ENTRY.test(n) || n === STUDIO_JSON)) return '';
  const first = files[0]!;
  const slash = first.indexOf('/');
  if (slash <= 0) return '';
  const root = first.slice(0, slash + 1);
  return files.every((n) => n.startsWith(root)) ? root : '';
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * Largest uncompressed size accepted per entry kind, checked against the size the archive declares
 * (and again while inflating, in case it lies) before anything is read:
 * - JSON text is parsed whole, so it must fit in one string: dataset 64 MiB; studio.json and
 *   COCO masks (RLE for every instance and frame) 256 MiB (V8 strings top out near 512 MiB);
 * - a frame image 32 MiB; a mask PNG 16 MiB; a video 2 GiB (kept as a Blob, not in memory).
 */
export const MAX_IMPORT_BYTES = Object.freeze({
  dataset: 64 * MiB,
  studio: 256 * MiB,
  coco: 256 * MiB,
  davis: 16 * MiB,
  frame: 32 * MiB,
  video: 2 * GiB,
  other: 64 * MiB,
} satisfies Record<EntryKind['kind'], number>);

/** At most this many entries in an archive (a V2P-Bench ZIP has a frame per record plus its videos). */
export const MAX_ZIP_ENTRIES = 200_000;

/** The limits an archive or a picked folder is read with (a lone dataset file: `checkEntrySize` with 'dataset'). */
export const importLimits = Object.freeze({
  maxEntryBytes: (name: string): number => MAX_IMPORT_BYTES[classifyEntry(name).kind],
  maxEntries: MAX_ZIP_ENTRIES,
});

/** `up`: a size over a limit is rounded up, so 64 MiB + 1 byte reads 64.1 MiB, not the limit's 64.0. */
function formatBytes(bytes: number, up = false): string {
  const scaled = (unit: number): string => (bytes % unit === 0 ? String(bytes / unit) : ((up ? Math.ceil((bytes / unit) * 10) : Math.round((bytes / unit) * 10)) / 10).toFixed(1));
  if (bytes >= GiB) return `${scaled(GiB)} GiB`;
  if (bytes >= MiB) return `${scaled(MiB)} MiB`;
  return `${bytes} bytes`;
}

const KIND_LABEL: Readonly<Record<EntryKind['kind'], string>> = {
  dataset: 'a dataset_info.json',
  studio: 'studio.json',
  coco: 'a COCO mask file',
  davis: 'a mask PNG',
  frame: 'a frame image',
  video: 'a video',
  other: 'a file',
};

/**
 * Why a file or entry of `size` bytes is too large for its kind, or null: it names the file, its
 * size and the limit, e.g. `"big.json" is 70 MiB, more than the 64 MiB allowed for a dataset_info.json`.
 */
export function checkEntrySize(name: string, kind: EntryKind['kind'], size: number): string | null {
  const max = MAX_IMPORT_BYTES[kind];
  if (size <= max) return null;
  return `"${printableName(name)}" is ${formatBytes(size, true)}, more than the ${formatBytes(max)} allowed for ${KIND_LABEL[kind]}`;
}
