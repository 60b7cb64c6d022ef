/**
 * The stage's view of the frame: a uniform scale and a translation, screen = content * scale + offset.
 */
export interface Size {
  readonly width: number;
  readonly height: number;
}
export interface Point {
  readonly x: number;
  readonly y: number;
}
export interface Viewport {
  readonly scale: number;
  readonly x: number;
  readonly y: number;
}

export const MIN_SCALE = 0.05;
export const MAX_SCALE = 32;

export function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

/** The largest view that shows the whole content centred, leaving `padding` pixels around it. */
export function fitViewport(content: Size, view: Size, padding = 16): Viewport {
  if (content.width <= 0 || content.height <= 0 || view.width <= 0 || view.height <= 0) {
    return { scale: 1, x: 0, y: 0 };
  }
  const availW = Math.max(1, view.width - 2 * padding);
  const availH = Math.max(1, view.height - 2 * padding);
  const scale = clampScale(Math.min(availW / content.width, availH / content.height));
  return {
    scale,
    x: (view.width - content.width * scale) / 2,
    y: (view.height - content.height * scale) / 2,
  };
}

/** Zooms by `factor` keeping the content point under `anchor` (screen coordinates) fixed. */
export function zoomAt(vp: Viewport, factor: number, anchor: Point): Viewport {
  const scale = clampScale(vp.scale * factor);
  const k = scale / vp.scale;
  return { scale, x: anchor.x - (anchor.x - vp.x) * k, y: anchor.y - (anchor.y - vp.y) * k };
}

export function panBy(vp: Viewport, dx: number, dy: number): Viewport {
  return { scale: vp.scale, x: vp.x + dx, y: vp.y + dy };
}

export function screenToContent(vp: Viewport, p: Point): Point {
  return { x: (p.x - vp.x) / vp.scale, y: (p.y - vp.y) / vp.scale };
}

export function contentToScreen(vp: Viewport, p: Point): Point {
  return { x: p.x * vp.scale + vp.x, y: p.y * vp.scale + vp.y };
}

/** Zoom factor for one wheel event; trackpads send small deltas, mice large ones. */
export function wheelZoomFactor(deltaY: number): number {
  const clamped = Math.max(-100, Math.min(100, deltaY));
  return Math.exp(-clamped * 0.0025);
}
