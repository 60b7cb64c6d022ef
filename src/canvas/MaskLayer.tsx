/**
 * Draws each visible instance's mask on the shown frame: a translucent fill in the instance's
 * colour and its outline (traced contours). Fills are rasterised once per mask and memoised.
 */
import { useMemo } from 'react';
import { Image as KonvaImage, Layer, Line } from 'react-konva';
import type { Instance } from '../core/annotation/model';
import { maskAt } from '../core/propagation/lane';
import { traceContours } from '../core/mask/contour';
import { maskFillRgba } from '../core/mask/fill';
import { decodeRle, rleBBox, type Rle } from '../core/mask/rle';
import { useAppStore } from '../store/context';
import { selectAnnotationFrames, selectFrameIndex, selectInstances, selectViewport, selectMasklets } from '../store/selectors';

const FILL_ALPHA = 110;

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function MaskShape({ rle, color, scale, tentative }: { rle: Rle; color: string; scale: number; tentative: boolean }) {
  const { canvas, outlines } = useMemo(() => {
    const mask = decodeRle(rle);
    const c = document.createElement('canvas');
    c.width = mask.width;
    c.height = mask.height;
    const ctx = c.getContext('2d')!;
    ctx.putImageData(new ImageData(maskFillRgba(mask, hexToRgb(color), FILL_ALPHA), mask.width, mask.height), 0, 0);
    const outlines = traceContours(mask, rleBBox(rle)).map((c) => c.points.flatMap((p) => [p.x, p.y]));
    return { canvas: c, outlines };
  }, [rle, color]);
  return (
    <>
      <KonvaImage image={canvas} name="mask-fill" />
      {outlines.map((points, i) => (
        <Line key={i} points={points} closed stroke={color} strokeWidth={2 / scale} dash={tentative ? [6 / scale, 4 / scale] : undefined} />
      ))}
    </>
  );
}


/** The user's masks on their anchor frames, the propagated ones elsewhere (dashed outline when low-confidence). */
export function MaskLayer() {
  const instances = useAppStore(selectInstances);
  const frames = useAppStore(selectAnnotationFrames);
  const masklets = useAppStore(selectMasklets);
  const frame = useAppStore(selectFrameIndex);
  const { scale } = useAppStore(selectViewport);
  const visible = instances.filter((i: Instance) => i.visible);
  return (
    <Layer name="masks" listening={false}>
      {visible.map((instance) => {
        const shown = maskAt(frames, masklets, instance.id, frame);
        return shown ? <MaskShape key={instance.id} rle={shown.rle} color={instance.color} scale={scale} tentative={shown.state === 'low'} /> : null;
      })}
    </Layer>
  );
}
