/**
 * What the user makes on a video: instances (objects they point out), the prompts they place on
 * frames, and the masks the model returns. Flat readonly records, keyed by instance and frame.
 */
import type { Rle } from '../mask/rle';
import type { SamPrompt } from '../segmentation/samDecoderIo';

export interface Instance {
  readonly id: string;
  readonly name: string;
  /** CSS colour, bright enough to read over video. */
  readonly color: string;
  readonly visible: boolean;
}

/** A prompt in frame pixel coordinates. */
export type Prompt =
  | { readonly kind: 'point'; readonly x: number; readonly y: number; readonly positive: boolean }
  | { readonly kind: 'box'; readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number }
  /** A freehand stroke over the object, as a flat [x0, y0, x1, y1, ...] polyline. */
  | { readonly kind: 'scribble'; readonly path: readonly number[] };

export interface FrameMask {
  readonly rle: Rle;
  /** The decoder's predicted IoU for this mask. */
  readonly score: number;
}

export interface FrameAnnotation {
  readonly prompts: readonly Prompt[];
  readonly mask: FrameMask | null;
}

export function annotationKey(instanceId: string, frame: number): string {
  return `${instanceId}@${frame}`;
}

/**
 * Names the decoder's low-resolution output for one instance, frame and set of prompts, so that
 * refining (adding a prompt) feeds back exactly the prediction of the prompts before it, also
 * after undo and redo.
 */
export function refinementKey(instanceId: string, frame: number, prompts: readonly Prompt[]): string {
  return `${annotationKey(instanceId, frame)}|${JSON.stringify(prompts)}`;
}

/** Everything about annotations that undo and redo move between. */
export interface AnnotationDoc {
  readonly instances: readonly Instance[];
  readonly activeId: string | null;
  /** By annotationKey(instance, frame). */
  readonly frames: Readonly<Record<string, FrameAnnotation>>;
}

export const EMPTY_ANNOTATIONS: AnnotationDoc = { instances: [], activeId: null, frames: {} };

/** A copy of `frames` with `key` set to `value`, or removed when `value` is null. */
export function withFrame(frames: AnnotationDoc['frames'], key: string, value: FrameAnnotation | null): AnnotationDoc['frames'] {
  if (value === null) return Object.fromEntries(Object.entries(frames).filter(([k]) => k !== key));
  return { ...frames, [key]: value };
}

/** Removes an instance and everything placed for it. */
export function withoutInstance(doc: AnnotationDoc, id: string): AnnotationDoc {
  const instances = doc.instances.filter((i) => i.id !== id);
  const prefix = `${id}@`;
  return {
    instances,
    activeId: doc.activeId === id ? (instances[instances.length - 1]?.id ?? null) : doc.activeId,
    frames: Object.fromEntries(Object.entries(doc.frames).filter(([k]) => !k.startsWith(prefix))),
  };
}

/**
 * SAM takes points and at most one box: every point, and the most recent box (an earlier box is
 * superseded by drawing a new one).
 */
export function toSamPrompt(prompts: readonly Prompt[]): SamPrompt {
  const points = prompts.flatMap((p) =>
    p.kind === 'point'
      ? [{ x: p.x, y: p.y, positive: p.positive }]
      : p.kind === 'scribble'
        ? scribbleToPoints(p.path).map((q) => ({ ...q, positive: true }))
        : [],
  );
  const boxes = prompts.filter((p): p is Extract<Prompt, { kind: 'box' }> => p.kind === 'box');
  const box = boxes[boxes.length - 1];
  return { points, box: box ? { x0: box.x0, y0: box.y0, x1: box.x1, y1: box.y1 } : null };
}

/** Bright, saturated colours that survive being drawn translucent over footage. */
export const INSTANCE_COLORS = ['#ff3b30', '#ffcc00', '#34c759', '#ff9500', '#32d7ff', '#ff2d92', '#af52de', '#a2ff00'] as const;

export function nextInstance(existing: readonly Instance[], id: string): Instance {
  const used = new Set(existing.map((i) => i.color));
  const color = INSTANCE_COLORS.find((c) => !used.has(c)) ?? INSTANCE_COLORS[existing.length % INSTANCE_COLORS.length]!;
  let n = existing.length + 1;
  const names = new Set(existing.map((i) => i.name));
  while (names.has(`Object ${n}`)) n++;
  return { id, name: `Object ${n}`, color, visible: true };
}

/** A drag shorter than this (in frame pixels) is a click, not a box. */
export const MIN_BOX_SIZE = 3;

export function normalizeBox(x0: number, y0: number, x1: number, y1: number): Extract<Prompt, { kind: 'box' }> {
  return { kind: 'box', x0: Math.min(x0, x1), y0: Math.min(y0, y1), x1: Math.max(x0, x1), y1: Math.max(y0, y1) };
}

/** Spacing of the positive points a scribble turns into, in frame pixels. */
export const SCRIBBLE_SPACING = 24;
export const SCRIBBLE_MAX_POINTS = 8;

/**
 * Turns a freehand stroke into positive points the decoder understands: points spaced evenly by
 * arc length along it, both ends included, at most SCRIBBLE_MAX_POINTS (SAM degrades with many).
 */
export function scribbleToPoints(path: readonly number[], spacing = SCRIBBLE_SPACING, maxPoints = SCRIBBLE_MAX_POINTS): { x: number; y: number }[] {
  const n = Math.floor(path.length / 2);
  if (n === 0) return [];
  const cumulative = [0];
  for (let i = 1; i < n; i++) {
    cumulative.push(cumulative[i - 1]! + Math.hypot(path[2 * i]! - path[2 * i - 2]!, path[2 * i + 1]! - path[2 * i - 1]!));
  }
  const length = cumulative[n - 1]!;
  const count = length === 0 ? 1 : Math.min(maxPoints, Math.max(2, Math.round(length / spacing) + 1));
  const out: { x: number; y: number }[] = [];
  let seg = 1;
  for (let k = 0; k < count; k++) {
    const d = count === 1 ? 0 : (length * k) / (count - 1);
    while (seg < n - 1 && cumulative[seg]! < d) seg++;
    if (n === 1) {
      out.push({ x: path[0]!, y: path[1]! });
      continue;
    }
    const d0 = cumulative[seg - 1]!;
    const d1 = cumulative[seg]!;
    const t = d1 > d0 ? Math.min(1, Math.max(0, (d - d0) / (d1 - d0))) : 0;
    out.push({ x: path[2 * seg - 2]! + (path[2 * seg]! - path[2 * seg - 2]!) * t, y: path[2 * seg - 1]! + (path[2 * seg + 1]! - path[2 * seg - 1]!) * t });
  }
  return out;
}

/** The same prompt moved by (dx, dy) frame pixels. */
export function movePrompt(p: Prompt, dx: number, dy: number): Prompt {
  switch (p.kind) {
    case 'point':
      return { ...p, x: p.x + dx, y: p.y + dy };
    case 'box':
      return { ...p, x0: p.x0 + dx, y0: p.y0 + dy, x1: p.x1 + dx, y1: p.y1 + dy };
    case 'scribble':
      return { ...p, path: p.path.map((v, i) => v + (i % 2 === 0 ? dx : dy)) };
  }
}
