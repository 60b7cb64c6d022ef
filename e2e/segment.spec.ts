import { expect, test } from './test';
import { maskAlphaAt, toScreen, waitForVideo } from './helpers';

test('a box around a person in the sample gives a mask over that person', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('./');
  await waitForVideo(page, 'vtest.webm');
  // The default encoder is the int8 one, and the status says so.
  await expect(page.getByRole('status', { name: 'Segmentation model' })).toContainText(/SAM ready · int8 · (WASM × \d+ threads?|WebGPU)/, { timeout: 120_000 });

  await page.getByRole('button', { name: 'Box prompt' }).click();
  await expect(page.getByRole('button', { name: 'Box prompt' })).toHaveAttribute('aria-pressed', 'true');
  // The man standing left of the lamp post on frame 0 (frame pixels).
  const a = await toScreen(page, 243, 218);
  const b = await toScreen(page, 294, 320);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 6 });
  await page.mouse.up();

  const objects = page.getByRole('region', { name: 'Objects' });
  await expect(objects.getByRole('button', { name: /^Object 1/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(objects.getByLabel('Object 1 on this frame')).toContainText(/\d+ px · IoU est\./, { timeout: 120_000 });
  const area = Number(/(\d+) px/.exec((await objects.getByLabel('Object 1 on this frame').textContent()) ?? '')?.[1]);
  // A person of ~45x95 px: the mask covers a good part of the box, not the whole box or a speck.
  expect(area).toBeGreaterThan(800);
  expect(area).toBeLessThan(51 * 102);

  // Drawn over the person's torso, not elsewhere.
  await expect.poll(() => maskAlphaAt(page, 267, 250), { timeout: 60_000 }).toBeGreaterThan(50);
  expect(await maskAlphaAt(page, 100, 500)).toBe(0);
  expect(await maskAlphaAt(page, 600, 100)).toBe(0);

  // A negative point on the legs: the mask shrinks. Undo brings the full mask back; redo again.
  const meta = objects.getByLabel('Object 1 on this frame');
  const areaNow = async (): Promise<number> => Number(/(\d+) px/.exec((await meta.textContent()) ?? '')?.[1] ?? NaN);
  await page.keyboard.press('n');
  await expect(page.getByRole('button', { name: 'Negative point' })).toHaveAttribute('aria-pressed', 'true');
  const legs = await toScreen(page, 268, 300);
  await page.mouse.click(legs.x, legs.y);
  await expect.poll(areaNow, { timeout: 60_000 }).toBeLessThan(area);
  const shrunk = await areaNow();
  await page.keyboard.press('Control+z');
  await expect.poll(areaNow, { timeout: 60_000 }).toBe(area);
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect.poll(areaNow, { timeout: 60_000 }).toBe(shrunk);

  // Select the negative point and delete it: the mask is recomputed without it.
  await page.keyboard.press('v');
  await expect(page.getByRole('button', { name: 'Select tool' })).toHaveAttribute('aria-pressed', 'true');
  await page.mouse.click(legs.x, legs.y);
  await page.keyboard.press('Delete');
  await expect.poll(areaNow, { timeout: 60_000 }).toBe(area);
});

test('a scribble over a person gives that person a mask', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('./');
  await waitForVideo(page, 'vtest.webm');
  await page.keyboard.press('s');
  await expect(page.getByRole('button', { name: 'Scribble over the object' })).toHaveAttribute('aria-pressed', 'true');
  // Down the body of the man walking on the right of frame 0.
  const path = [
    [661, 262],
    [662, 275],
    [660, 290],
    [662, 305],
  ];
  const first = await toScreen(page, path[0]![0]!, path[0]![1]!);
  await page.mouse.move(first.x, first.y);
  await page.mouse.down();
  for (const [x, y] of path.slice(1)) {
    const p = await toScreen(page, x!, y!);
    await page.mouse.move(p.x, p.y, { steps: 4 });
  }
  await page.mouse.up();
  const meta = page.getByRole('region', { name: 'Objects' }).getByLabel('Object 1 on this frame');
  await expect(meta).toContainText(/\d+ px · IoU est\./, { timeout: 150_000 });
  const area = Number(/(\d+) px/.exec((await meta.textContent()) ?? '')?.[1]);
  expect(area).toBeGreaterThan(500);
  expect(area).toBeLessThan(8000);
  await expect.poll(() => maskAlphaAt(page, 661, 285), { timeout: 60_000 }).toBeGreaterThan(50);
  expect(await maskAlphaAt(page, 268, 250)).toBe(0); // not the other man
});

test('the fp32 encoder chosen in the setting is loaded at once, cached apart from int8, kept over a reload, and gives the int8 mask for the same box', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('./');
  await waitForVideo(page, 'vtest.webm');
  const status = page.getByRole('status', { name: 'Segmentation model' });
  const objects = page.getByRole('region', { name: 'Objects' });
  const areaOf = async (name: string): Promise<number> => {
    const meta = objects.getByLabel(`${name} on this frame`);
    await expect(meta).toContainText(/\d+ px · IoU est\./, { timeout: 120_000 });
    return Number(/(\d+) px/.exec((await meta.textContent()) ?? '')?.[1]);
  };
  const boxTheMan = async (): Promise<void> => {
    await page.getByRole('button', { name: 'Box prompt' }).click();
    const a = await toScreen(page, 243, 218);
    const b = await toScreen(page, 294, 320);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 6 });
    await page.mouse.up();
  };

  // Object 1 with the default int8 encoder.
  await expect(status).toContainText('SAM ready · int8', { timeout: 120_000 });
  await boxTheMan();
  const int8Area = await areaOf('Object 1');
  expect(int8Area).toBeGreaterThan(800);

  // The setting is with the propagation settings.
  const encoder = page.getByRole('region', { name: 'Propagation' }).getByRole('combobox', { name: 'SAM encoder' });
  await expect(encoder).toHaveValue('int8');
  await encoder.selectOption('fp32');
  await expect(status).toContainText('SAM ready · fp32', { timeout: 120_000 });
  // Each encoder has its own Cache Storage entry: the fp32 file did not take the int8 one's place.
  const cached = await page.evaluate(async () => {
    const keys = await (await caches.open('videoseeker-models-v1')).keys();
    return keys.map((r) => new URL(r.url).pathname.replace(/^.*\/models\//, '')).sort();
  });
  expect(cached).toEqual(['encoder.int8.onnx', 'encoder.onnx', 'sam.onnx']);

  // The choice is kept over a reload (and the project with object 1).
  await page.reload();
  await waitForVideo(page, 'vtest.webm');
  await expect(status).toContainText('SAM ready · fp32', { timeout: 120_000 });
  await expect(encoder).toHaveValue('fp32');
  await expect(objects.getByRole('button', { name: /^Object 1/ })).toBeVisible();

  // Object 2, the same box, now encoded by fp32: the same person, the same mask within 5 % of its area.
  await page.getByRole('button', { name: 'New object' }).click();
  await boxTheMan();
  const fp32Area = await areaOf('Object 2');
  expect(Math.abs(fp32Area - int8Area) / int8Area).toBeLessThan(0.05);
  await expect.poll(() => maskAlphaAt(page, 267, 250), { timeout: 60_000 }).toBeGreaterThan(50);
  expect(await maskAlphaAt(page, 100, 500)).toBe(0);
});
