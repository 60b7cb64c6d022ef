/**
 * Draws visual prompt shapes (core/visualPrompt/shapes) on a 2D canvas. Runs in the video worker
 * on an OffscreenCanvas as well as on the UI thread, so it uses only the context's own API.
 *
 * Coordinates are multiplied by `scale` here rather than through the context's transform, so
 * that the halo below stays one output pixel wide at any scale.
 */
import type { VisualPromptShape } from '../../core/visualPrompt/shapes';

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/**
 * A translucent dark line, up to one output pixel wider on each side, under every stroke and
 * around every fill: a yellow or cyan stroke on a bright sky or a white wall stays readable. A
 * thin line gets a thinner halo (a quarter of its width each side), so its colour still
 * dominates.
 */
const HALO = 'rgba(0, 0, 0, 0.45)';
const HALO_PX = 1;

/** Draws `shapes` (frame pixels) at `scale` output pixels per frame pixel, in order. */
export function drawShapes(ctx: Context2D, shapes: readonly VisualPromptShape[], scale: number): void {
  ctx.save();
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  for (const shape of shapes) {
    switch (shape.kind) {
      case 'path':
        tracePath(ctx, shape.points, shape.closed, scale);
        paint(ctx, shape.fill, shape.stroke, shape.width * scale);
        break;
      case 'ellipse':
        ctx.beginPath();
        ctx.ellipse(shape.cx * scale, shape.cy * scale, Math.max(0, shape.rx * scale), Math.max(0, shape.ry * scale), shape.rotation, 0, 2 * Math.PI);
        paint(ctx, null, shape.stroke, shape.width * scale);
        break;
      case 'disc':
        ctx.beginPath();
        ctx.arc(shape.cx * scale, shape.cy * scale, Math.max(0, shape.r * scale), 0, 2 * Math.PI);
        paint(ctx, shape.fill, shape.stroke, shape.width * scale);
        break;
      case 'tag':
        drawTag(ctx, shape, scale);
        break;
    }
  }
  ctx.restore();
}

function tracePath(ctx: Context2D, points: readonly number[], closed: boolean, scale: number): void {
  ctx.beginPath();
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = points[i]! * scale;
    const y = points[i + 1]! * scale;
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  // A single point still shows: a zero-length segment with round caps is a dot.
  if (points.length === 2) ctx.lineTo(points[0]! * scale, points[1]! * scale);
  if (closed) ctx.closePath();
}

/** Halo, then fill, then stroke, of the current path. */
function paint(ctx: Context2D, fill: string | null, stroke: string, width: number): void {
  ctx.strokeStyle = HALO;
  // A filled shape is bold whatever its outline; only a thin line gets a thinner halo.
  ctx.lineWidth = Math.max(width, 0) + 2 * (fill !== null || width <= 0 ? HALO_PX : Math.min(HALO_PX, width / 4));
  ctx.stroke();
  if (fill !== null) {
    ctx.fillStyle = fill;
    ctx.fill();
  }
  if (width > 0) {
    ctx.strokeStyle = stroke;
    ctx.lineWidth = width;
    ctx.stroke();
  }
}

function drawTag(ctx: Context2D, tag: Extract<VisualPromptShape, { kind: 'tag' }>, scale: number): void {
  const x = tag.x * scale;
  const y = tag.y * scale;
  const w = tag.w * scale;
  const h = tag.h * scale;
  ctx.strokeStyle = HALO;
  ctx.lineWidth = 2 * HALO_PX;
  ctx.strokeRect(x, y, w, h);
  ctx.fillStyle = tag.fill;
  ctx.fillRect(x, y, w, h);
  ctx.font = `bold ${tag.fontPx * scale}px sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = tag.textColour;
  ctx.fillText(tag.text, x + w / 2, y + h / 2);
}
