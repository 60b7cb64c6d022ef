import { expect, test } from './test';
import { maskAlphaAt, toScreen, waitForVideo } from './helpers';

test('a box around a person in the sample gives a mask over that person', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('./');
  await waitForVideo(page, 'vtest.webm');
  await expect(page.getByRole('status', { name: 'Segmentation model' })).toContainText(/SAM ready · (WASM × \d+ threads?|WebGPU)/, { timeout: 120_000 });

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
