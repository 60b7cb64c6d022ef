/** Shared e2e helpers: opening files the way a user does, and reading what the stage shows. */
import { expect, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';

export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Waits until the built-in sample (or another video) is open and its first frame is drawn. */
export async function waitForVideo(page: Page, name: string): Promise<void> {
  await expect(page.getByRole('complementary', { name: 'Video details' })).toContainText(name);
  await expect.poll(() => frameShown(page)).toBe(true);
}

export async function openFile(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Open video' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open video' });
  await dialog.getByLabel('Video file').setInputFiles(fixture(name));
  await expect(dialog).toBeHidden();
}

interface KonvaLike {
  stages: {
    findOne(selector: string): {
      getLayer(): { getNativeCanvasElement(): HTMLCanvasElement; getCanvas(): { getPixelRatio(): number } };
      getAbsoluteTransform(): { point(p: { x: number; y: number }): { x: number; y: number } };
    } | undefined;
  }[];
}

async function frameShown(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const konva = (window as unknown as { Konva?: KonvaLike }).Konva;
    return konva?.stages[0]?.findOne('#frame-image') !== undefined;
  });
}

/** Centres of the code's squares in the picture as coded (see scripts/make-e2e-fixtures.sh). */
export const CODE_SQUARES: readonly { x: number; y: number }[] = Array.from({ length: 10 }, (_, k) => ({ x: 32 + 40 * k, y: 32 }));

/**
 * Reads the frame number the e2e fixtures carry as a 10-bit code of white squares (see
 * scripts/make-e2e-fixtures.sh) from the pixels the stage actually painted. `squares`: where the
 * squares are in the picture shown (elsewhere than CODE_SQUARES in a rotated video).
 */
export async function readFrameCode(page: Page, squares: readonly { x: number; y: number }[] = CODE_SQUARES): Promise<number> {
  return page.evaluate((squares) => {
    const konva = (window as unknown as { Konva: KonvaLike }).Konva;
    const image = konva.stages[0]?.findOne('#frame-image');
    if (!image) return -1;
    const layer = image.getLayer();
    const ctx = layer.getNativeCanvasElement().getContext('2d', { willReadFrequently: true });
    if (!ctx) return -1;
    const ratio = layer.getCanvas().getPixelRatio();
    const transform = image.getAbsoluteTransform();
    let code = 0;
    for (let k = 0; k < 10; k++) {
      const p = transform.point(squares[k]!);
      const d = ctx.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data;
      if ((d[0]! + d[1]! + d[2]!) / 3 > 160) code |= 1 << k;
    }
    return code;
  }, squares);
}

/** The colour the stage painted at a pixel of the picture (frame coordinates); null without a frame. */
export async function frameColorAt(page: Page, x: number, y: number): Promise<[number, number, number] | null> {
  return page.evaluate(
    ({ x, y }) => {
      const konva = (window as unknown as { Konva: KonvaLike }).Konva;
      const image = konva.stages[0]?.findOne('#frame-image');
      if (!image) return null;
      const layer = image.getLayer();
      const ctx = layer.getNativeCanvasElement().getContext('2d', { willReadFrequently: true });
      if (!ctx) return null;
      const ratio = layer.getCanvas().getPixelRatio();
      const p = image.getAbsoluteTransform().point({ x, y });
      const d = ctx.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data;
      return [d[0]!, d[1]!, d[2]!] as [number, number, number];
    },
    { x, y },
  );
}

/** Statistics of the painted frame: a blank canvas has ~zero variance. */
export async function framePixelStats(page: Page): Promise<{ mean: number; std: number; samples: number }> {
  return page.evaluate(() => {
    const konva = (window as unknown as { Konva: KonvaLike }).Konva;
    const image = konva.stages[0]?.findOne('#frame-image');
    if (!image) return { mean: 0, std: 0, samples: 0 };
    const canvas = image.getLayer().getNativeCanvasElement();
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let sum = 0;
    let sq = 0;
    let n = 0;
    for (let i = 0; i < data.length; i += 4 * 97) {
      const v = (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
      sum += v;
      sq += v * v;
      n++;
    }
    const mean = sum / n;
    return { mean, std: Math.sqrt(sq / n - mean * mean), samples: n };
  });
}

/** Asserts that the UI says frame `n` and the painted pixels are frame `n`. */
export async function expectFrame(page: Page, n: number): Promise<void> {
  await expect(page.getByLabel('Current frame')).toHaveText(new RegExp(`^Frame ${n} /`));
  await expect.poll(() => readFrameCode(page), { message: `painted frame should be ${n}` }).toBe(n);
}

export async function goTo(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Go to time' });
  await box.fill(text);
  await box.press('Enter');
}

/** Frame pixel → page coordinates, through the stage's current zoom and pan. */
export async function toScreen(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ({ x, y }) => {
      const konva = (window as unknown as { Konva: { stages: { container(): HTMLElement; x(): number; y(): number; scaleX(): number }[] } }).Konva;
      const s = konva.stages[0]!;
      const r = s.container().getBoundingClientRect();
      return { x: r.left + s.x() + x * s.scaleX(), y: r.top + s.y() + y * s.scaleX() };
    },
    { x, y },
  );
}

/** Alpha of the mask layer at a frame pixel (0 where no mask is drawn). */
export async function maskAlphaAt(page: Page, x: number, y: number): Promise<number> {
  return page.evaluate(
    ({ x, y }) => {
      type Layer = { name(): string; getNativeCanvasElement(): HTMLCanvasElement; getCanvas(): { getPixelRatio(): number } };
      const konva = (window as unknown as { Konva: { stages: { getLayers(): Layer[]; x(): number; y(): number; scaleX(): number }[] } }).Konva;
      const s = konva.stages[0]!;
      const layer = s.getLayers().find((l) => l.name() === 'masks')!;
      const ratio = layer.getCanvas().getPixelRatio();
      const ctx = layer.getNativeCanvasElement().getContext('2d', { willReadFrequently: true })!;
      const px = Math.round((s.x() + x * s.scaleX()) * ratio);
      const py = Math.round((s.y() + y * s.scaleX()) * ratio);
      return ctx.getImageData(px, py, 1, 1).data[3]!;
    },
    { x, y },
  );
}
