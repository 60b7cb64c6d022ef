/**
 * Mask propagation on the sample with the real model: progress, lanes, cancel, masks on later
 * frames where the man has walked to, reload; a reload mid-run is said and can be continued; two
 * objects anchored on different frames propagate together, each frame encoded once.
 */
import { expect, test, type Page } from './test';
import { boxObject, boxPerson } from './askHelpers';
import { goTo, waitForVideo } from './helpers';

/** Painted mask pixels on the stage (alpha > 0 in the masks layer). */
async function maskPixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    type Layer = { name(): string; getNativeCanvasElement(): HTMLCanvasElement };
    const konva = (window as unknown as { Konva: { stages: { getLayers(): Layer[] }[] } }).Konva;
    const layer = konva.stages[0]!.getLayers().find((l) => l.name() === 'masks')!;
    const canvas = layer.getNativeCanvasElement();
    const data = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  });
}

/** The painted mask's centroid and pixel count, in frame pixels (through the stage's zoom and pan). */
async function maskCentroid(page: Page): Promise<{ x: number; y: number; n: number }> {
  return page.evaluate(() => {
    type Layer = { name(): string; getNativeCanvasElement(): HTMLCanvasElement; getCanvas(): { getPixelRatio(): number } };
    type Stage = { getLayers(): Layer[]; x(): number; y(): number; scaleX(): number };
    const stage = (window as unknown as { Konva: { stages: Stage[] } }).Konva.stages[0]!;
    const layer = stage.getLayers().find((l) => l.name() === 'masks')!;
    const canvas = layer.getNativeCanvasElement();
    const ratio = layer.getCanvas().getPixelRatio();
    const data = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    let sx = 0;
    let sy = 0;
    for (let i = 3; i < data.length; i += 4) {
      if (data[i]! === 0) continue;
      const p = (i - 3) / 4;
      n++;
      sx += p % canvas.width;
      sy += Math.floor(p / canvas.width);
    }
    const toFrame = (c: number, offset: number): number => (c / ratio - offset) / stage.scaleX();
    return n === 0 ? { x: NaN, y: NaN, n } : { x: toFrame(sx / n, stage.x()), y: toFrame(sy / n, stage.y()), n };
  });
}

/** Painted mask pixels inside a rectangle of frame pixels (through the stage's zoom and pan). */
async function maskPixelsIn(page: Page, r: { x0: number; y0: number; x1: number; y1: number }): Promise<number> {
  return page.evaluate((r) => {
    type Layer = { name(): string; getNativeCanvasElement(): HTMLCanvasElement; getCanvas(): { getPixelRatio(): number } };
    type Stage = { getLayers(): Layer[]; x(): number; y(): number; scaleX(): number };
    const stage = (window as unknown as { Konva: { stages: Stage[] } }).Konva.stages[0]!;
    const layer = stage.getLayers().find((l) => l.name() === 'masks')!;
    const ratio = layer.getCanvas().getPixelRatio();
    const toCanvas = (c: number, offset: number): number => Math.round((offset + c * stage.scaleX()) * ratio);
    const [x0, y0, x1, y1] = [toCanvas(r.x0, stage.x()), toCanvas(r.y0, stage.y()), toCanvas(r.x1, stage.x()), toCanvas(r.y1, stage.y())];
    const data = layer.getNativeCanvasElement().getContext('2d', { willReadFrequently: true })!.getImageData(x0, y0, x1 - x0, y1 - y0).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  }, r);
}

/** Frames of an object's lane with a propagated result (computed, low-confidence or absent). */
async function laneFrames(page: Page, object = 'Object 1'): Promise<number> {
  const lane = page.getByRole('group', { name: 'Propagation lanes' }).getByRole('img', { name: new RegExp(`^${object}:`) });
  const m = /(\d+) computed, (\d+) low-confidence, (\d+) absent/.exec((await lane.getAttribute('aria-label')) ?? '');
  return m ? Number(m[1]) + Number(m[2]) + Number(m[3]) : 0;
}

async function propagateForward(page: Page, to: number, k: number): Promise<void> {
  const panel = page.getByRole('region', { name: 'Propagation' });
  await panel.getByRole('combobox', { name: 'Direction' }).selectOption('forward');
  await panel.getByRole('checkbox', { name: 'Whole video' }).uncheck();
  await panel.getByRole('spinbutton', { name: 'From frame' }).fill('0');
  await panel.getByRole('spinbutton', { name: 'To frame' }).fill(String(to));
  await panel.getByRole('combobox', { name: 'Frames' }).selectOption('nth');
  await panel.getByRole('spinbutton', { name: 'k' }).fill(String(k));
  await panel.getByRole('button', { name: 'Propagate', exact: true }).click();
}

test('propagate 3 s forward: progress, the lane fills, masks on later frames; cancel keeps what is done; reload keeps it', async ({ page }) => {
  test.setTimeout(480_000);
  await page.goto('./');
  await boxPerson(page);
  const panel = page.getByRole('region', { name: 'Propagation' });
  // Cancel once two frames are done: they stay.
  await propagateForward(page, 30, 5);
  await expect(panel.getByRole('progressbar', { name: 'Propagation progress' })).toBeVisible();
  await expect(panel.getByRole('status')).toContainText(/[2-5] \/ 6 frames/, { timeout: 120_000 });
  await panel.getByRole('button', { name: 'Cancel propagation' }).click();
  await expect(panel.getByRole('status')).toContainText(/Cancelled/, { timeout: 60_000 });
  const lane = page.getByRole('group', { name: 'Propagation lanes' }).getByRole('img', { name: /^Object 1:/ });
  await expect(lane).toHaveAccessibleName(/1 anchor, [2-5] computed|1 anchor, [0-9] computed, [0-9] low/);
  const afterCancel = Number(/(\d+) computed/.exec((await lane.getAttribute('aria-label')) ?? '')?.[1]);

  // Again: the rest is computed.
  await panel.getByRole('button', { name: 'Propagate', exact: true }).click();
  await expect(panel.getByRole('status')).toContainText(/Done/, { timeout: 180_000 });
  await expect.poll(() => laneFrames(page)).toBe(6);
  expect(afterCancel).toBeGreaterThanOrEqual(2);

  // A later frame shows the propagated mask where the man has walked to (boxed at x 243–294,
  // y 218–320 on frame 0, he is at about x 380–405, y 180–262 on frame 30, seen in the video);
  // a frame that was skipped shows none.
  await goTo(page, '#30');
  await expect.poll(() => maskPixels(page)).toBeGreaterThan(200);
  const at30 = await maskCentroid(page);
  expect(at30.x, JSON.stringify(at30)).toBeGreaterThan(360);
  expect(at30.x, JSON.stringify(at30)).toBeLessThan(425);
  expect(at30.y, JSON.stringify(at30)).toBeGreaterThan(170);
  expect(at30.y, JSON.stringify(at30)).toBeLessThan(290);
  await goTo(page, '#32');
  await expect.poll(() => maskPixels(page)).toBe(0);

  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('Saved');
  await page.reload();
  await waitForVideo(page, 'vtest.webm');
  await expect(page.getByRole('group', { name: 'Propagation lanes' }).getByRole('img', { name: /^Object 1:/ })).toHaveAccessibleName(/1 anchor, \d+ computed/);
  await goTo(page, '#30');
  await expect.poll(() => maskPixels(page), { timeout: 30_000 }).toBeGreaterThan(200);
});

test('a reload during propagation is said; Continue computes only the frames left and the lane is complete', async ({ page }) => {
  test.setTimeout(480_000);
  await page.goto('./');
  await boxPerson(page);
  await propagateForward(page, 30, 5);
  const panel = page.getByRole('region', { name: 'Propagation' });
  await expect(panel.getByRole('status')).toContainText(/[2-4] \/ 6 frames/, { timeout: 120_000 });
  // A save follows each frame within a second.
  await page.waitForTimeout(1_500);
  await page.reload();
  await waitForVideo(page, 'vtest.webm');

  const notice = page.getByRole('region', { name: 'Propagation' }).getByRole('alert', { name: 'Interrupted propagation' });
  await expect(notice).toContainText(/interrupted .* after [2-5] of 6 frames/);
  const finished = Number(/after (\d+) of 6/.exec((await notice.textContent()) ?? '')![1]);
  expect(await laneFrames(page)).toBe(finished);

  await notice.getByRole('button', { name: 'Continue propagation' }).click();
  await expect(notice).toBeHidden();
  // Only what was left is computed again.
  await expect(panel.getByRole('status')).toContainText(new RegExp(`\\d+ / ${6 - finished} frames`), { timeout: 60_000 });
  await expect(panel.getByRole('status')).toContainText(/Done/, { timeout: 180_000 });
  await expect.poll(() => laneFrames(page)).toBe(6);
  await goTo(page, '#30');
  await expect.poll(() => maskPixels(page)).toBeGreaterThan(200);
});

test('two objects anchored on different frames propagate together: both lanes fill, masks where each one walks, each frame encoded once', async ({ page }) => {
  test.setTimeout(480_000);
  await page.goto('./');
  // Object 1: the man on frame 0; object 2: the person in black on frame 10 (x 548–585, y 238–325 there, seen in the video).
  await boxPerson(page);
  await page.getByRole('button', { name: 'New object' }).click();
  await goTo(page, '#10');
  await expect(page.getByLabel('Current frame')).toHaveText(/^Frame 10 \//);
  await boxObject(page, { x0: 542, y0: 232, x1: 592, y1: 330 }, 'Object 2');

  const panel = page.getByRole('region', { name: 'Propagation' });
  await panel.getByRole('combobox', { name: 'Objects' }).selectOption('all');
  // Every 5th frame up to 30: object 1 computes 5 … 30, object 2 computes 15 … 30, on the same frames.
  await propagateForward(page, 30, 5);
  await expect(panel.getByRole('status')).toContainText(/\d+ \/ 10 frames/, { timeout: 120_000 });
  await expect(panel.getByRole('status')).toContainText(/Done/, { timeout: 300_000 });
  // The segmentation worker's count: 6 frames for 10 (object, frame) steps, none encoded twice
  // (frame 10 was already encoded for object 2's box).
  await expect(panel.getByRole('status')).toContainText('10 propagated frames in all. 6 frames · 1 encoder pass per frame');
  await expect.poll(() => laneFrames(page, 'Object 1')).toBe(6);
  await expect.poll(() => laneFrames(page, 'Object 2')).toBe(4);

  // On frame 20 each has its own mask where it has walked to: the man at about x 365–400, y 193–275,
  // the person in black at about x 440–480, y 233–318 (seen in the video).
  await goTo(page, '#20');
  await expect(page.getByLabel('Current frame')).toHaveText(/^Frame 20 \//);
  await expect.poll(() => maskPixelsIn(page, { x0: 360, y0: 190, x1: 405, y1: 280 })).toBeGreaterThan(300);
  await expect.poll(() => maskPixelsIn(page, { x0: 436, y0: 230, x1: 485, y1: 322 })).toBeGreaterThan(300);
});
