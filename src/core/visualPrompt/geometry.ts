/**
 * What each of the 8 visual prompt types draws for a set of instances (protocol §3), as shapes in
 * the frame's pixel coordinates (./shapes). Pure and deterministic: the same masks give the same
 * picture, in the live preview and in the image sent to the model.
 *
 * Every type works on the instance's "object": its mask without stray specks (components smaller
 * than 2 % of the largest), so a speck far away cannot stretch a box or pull an arrow.
 */
import type { VisualPromptType } from '../agent/prompts';
import { traceContours } from '../mask/contour';
import type { BinaryMask } from '../mask/rle';
import { enclosingEllipse } from './ellipse';
import { arrowHead, arrowMarker } from './arrow';
import { cropMask, interiorPoint, majorComponents, type Region, type XY } from './maskRegion';
import { clamp, type Frame } from './rays';
import { scribblePoints } from './scribble';
import type { Colour, VisualPromptShape } from './shapes';
import { simplifyClosed } from './simplify';
import { triangleMarker } from './triangle';

export interface VisualPromptTarget {
  readonly mask: BinaryMask;
  /** 1..n: the number set_of_mark writes on this instance. */
  readonly number: number;
}

export interface VisualPromptStyle {
  readonly colour: Colour;
  /** Optional override; the default is derived from the image size (strokeWidthFor). */
  readonly strokePx?: number;
}

/** Bright, saturated colours that stand out on natural video; the first is the default. */
export const VISUAL_PROMPT_COLOURS: readonly { name: string; value: Colour }[] = [
  { name: 'red', value: '#ff2d2d' },
  { name: 'yellow', value: '#ffe620' },
  { name: 'green', value: '#2bf03b' },
  { name: 'orange', value: '#ff8c1a' },
  { name: 'cyan', value: '#1fe4ff' },
  { name: 'magenta', value: '#ff36e6' },
  { name: 'blue', value: '#2f6bff' },
];

/** Long side the model's image processor brings a frame down to (≈ 448 px, protocol §3). */
const MODEL_LONG_SIDE = 448;
/** Stroke width wanted in the downscaled image. */
const MODEL_STROKE = 3;

/**
 * The stroke width, in frame pixels, for a frame of this size. The model sees the frame shrunk
 * to ~448 px on its long side; a line thinner than ~2.5 px there is smeared by the resampling
 * into a faint tint of the background. Aiming at 3 px after downscaling (3 * longSide / 448
 * before) keeps a solid core, and never less than 3 px for frames already that small.
 */
export function strokeWidthFor(frame: Frame): number {
  return Math.max(MODEL_STROKE, Math.round((MODEL_STROKE * Math.max(frame.width, frame.height)) / MODEL_LONG_SIDE));
}

/**
 * The shapes of a visual prompt of `type` for every target, in target order (set_of_mark's tags
 * after all its outlines). An empty mask draws nothing; a mask must have the frame's size.
 */
export function visualPromptShapes(type: VisualPromptType, targets: readonly VisualPromptTarget[], frame: Frame, style: VisualPromptStyle): VisualPromptShape[] {
  const stroke = style.strokePx ?? strokeWidthFor(frame);
  const colour = style.colour;
  const under: VisualPromptShape[] = [];
  const over: VisualPromptShape[] = [];
  for (const target of targets) {
    const { mask } = target;
    if (mask.width !== frame.width || mask.height !== frame.height) {
      throw new RangeError(`Mask is ${mask.width}x${mask.height}, the frame ${frame.width}x${frame.height}`);
    }
    const crop = cropMask(mask);
    if (crop === null) continue;
    const object = majorComponents(crop, 0.02);
    const path = (points: readonly XY[], closed: boolean, fill: Colour | null, width = stroke): VisualPromptShape => ({
      kind: 'path',
      points: points.flatMap((p) => [p.x, p.y]),
      closed,
      stroke: colour,
      width,
      fill,
    });
    switch (type) {
      case 'rectangle':
        under.push(path(boxOutline(object, frame, stroke), true, null));
        break;
      case 'mask_contour':
        for (const outline of outlines(object)) under.push(path(outline, true, null));
        break;
      case 'ellipse':
        under.push({ kind: 'ellipse', ...enclosingEllipse(object, frame, stroke), stroke: colour, width: stroke });
        break;
      case 'triangle':
        // A thin outline in the fill colour rounds the corners (round joins) without growing it much.
        under.push(path(triangleMarker(object, crop, interiorPoint(object), frame, stroke), true, colour, Math.max(1, stroke / 3)));
        break;
      case 'arrow':
        under.push(...arrowShapes(object, frame, stroke, colour));
        break;
      case 'point': {
        const p = interiorPoint(object);
        // 12 px across once downscaled to ~448 px, but no bigger than the object's thick part
        // where that is smaller; never under one stroke, which would vanish when downscaled.
        const r = Math.max(stroke, Math.min(2 * stroke, p.distance));
        // A white rim keeps a red dot visible on a red object.
        under.push({ kind: 'disc', cx: p.x, cy: p.y, r, fill: colour, stroke: '#ffffff', width: Math.max(1, stroke / 4) });
        break;
      }
      case 'scribble':
        under.push(path(scribblePoints(object, stroke), false, null));
        break;
      case 'set_of_mark':
        // Set-of-Mark: a thin outline says which object the number belongs to. Tags go on top
        // of every outline, so a neighbour's outline never crosses a number.
        for (const outline of outlines(object)) under.push(path(outline, true, null, Math.max(1, Math.round(stroke / 3))));
        over.push(numberTag(target.number, interiorPoint(object), frame, stroke, colour));
        break;
    }
  }
  return [...under, ...over];
}

/**
 * The bounding box, its stroke just outside the object (the stroke's inner edge on the box's
 * edge), pulled in where that would leave the frame.
 */
function boxOutline(r: Region, frame: Frame, stroke: number): XY[] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < r.data.length; i++) {
    if (r.data[i] === 0) continue;
    const x = r.x0 + (i % r.width);
    const y = r.y0 + Math.floor(i / r.width);
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + 1);
    y1 = Math.max(y1, y + 1);
  }
  const h = stroke / 2;
  const cx = (v: number): number => clamp(v, h, frame.width - h);
  const cy = (v: number): number => clamp(v, h, frame.height - h);
  const [l, t, rt, b] = [cx(x0 - h), cy(y0 - h), cx(x1 + h), cy(y1 + h)];
  return [
    { x: l, y: t },
    { x: rt, y: t },
    { x: rt, y: b },
    { x: l, y: b },
  ];
}

/** Outer boundaries (holes left out) of the object's parts, simplified to within a pixel. */
function outlines(r: Region): XY[][] {
  return traceContours(r)
    .filter((c) => !c.hole)
    .map((c) => simplifyClosed(c.points, 1).map((p) => ({ x: p.x + r.x0, y: p.y + r.y0 })));
}

/** Shaft and filled head; the shaft stops inside the head so its round cap never pokes through the tip. */
function arrowShapes(r: Region, frame: Frame, stroke: number, colour: Colour): VisualPromptShape[] {
  const { tail, tip } = arrowMarker(r, interiorPoint(r), frame, stroke);
  const len = Math.hypot(tail.x - tip.x, tail.y - tip.y);
  const dx = (tail.x - tip.x) / len;
  const dy = (tail.y - tip.y) / len;
  const head = arrowHead(stroke);
  const neck = { x: tip.x + dx * head.length, y: tip.y + dy * head.length };
  const shaftEnd = { x: tip.x + dx * head.length * 0.6, y: tip.y + dy * head.length * 0.6 };
  const corners = [tip, { x: neck.x - dy * head.halfWidth, y: neck.y + dx * head.halfWidth }, { x: neck.x + dy * head.halfWidth, y: neck.y - dx * head.halfWidth }];
  return [
    { kind: 'path', points: [tail.x, tail.y, shaftEnd.x, shaftEnd.y], closed: false, stroke: colour, width: stroke, fill: null },
    { kind: 'path', points: corners.flatMap((p) => [p.x, p.y]), closed: true, stroke: colour, width: Math.max(1, stroke / 3), fill: colour },
  ];
}

/**
 * A filled tag with the number, centred on the object's interior point, kept in the frame. The
 * digits are ~4.5 strokes tall: ~13 px once the frame is downscaled to 448, legible to a model.
 */
function numberTag(n: number, at: XY, frame: Frame, stroke: number, colour: Colour): VisualPromptShape {
  const text = String(n);
  const fontPx = Math.max(12, Math.round(4.5 * stroke));
  const h = Math.round(fontPx * 1.3);
  const w = Math.round(fontPx * (0.62 * text.length + 0.6));
  const x = clamp(at.x - w / 2, 0, frame.width - w);
  const y = clamp(at.y - h / 2, 0, frame.height - h);
  return { kind: 'tag', x, y, w, h, text, fontPx, fill: colour, textColour: contrastingText(colour) };
}

/** Black or white, whichever contrasts more with `colour` (WCAG relative luminance); white when unparsable. */
export function contrastingText(colour: Colour): Colour {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour)?.[1];
  if (hex === undefined) return '#ffffff';
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast with black (lum + 0.05) / 0.05 against white 1.05 / (lum + 0.05).
  return (lum + 0.05) * (lum + 0.05) > 0.05 * 1.05 ? '#000000' : '#ffffff';
}
