/** Mask propagation on the sample with the real model: progress, lanes, cancel, masks on later frames, reload. */
import { expect, test, type Page } from '@playwright/test';
import { boxPerson } from './askHelpers';
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

test('propagate 3 s forward: progress, the lane fills, masks on later frames; cancel keeps what is done; reload keeps it', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('./');
  await boxPerson(page);
  const panel = page.getByRole('region', { name: 'Propagation' });
  await panel.getByRole('combobox', { name: 'Direction' }).selectOption('forward');
  await panel.getByRole('checkbox', { name: 'Whole video' }).uncheck();
  await panel.getByRole('spinbutton', { name: 'From frame' }).fill('0');
  await panel.getByRole('spinbutton', { name: 'To frame' }).fill('30');
  await panel.getByRole('combobox', { name: 'Frames' }).selectOption('nth');
  await panel.getByRole('spinbutton', { name: 'k' }).fill('5');

  // Cancel once two frames are done: they stay.
  await panel.getByRole('button', { name: 'Propagate', exact: true }).click();
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
  await expect.poll(async () => {
    const label = (await lane.getAttribute('aria-label')) ?? '';
    const m = /(\d+) computed, (\d+) low-confidence, (\d+) absent/.exec(label);
    return m ? Number(m[1]) + Number(m[2]) + Number(m[3]) : 0;
  }).toBe(6);
  expect(afterCancel).toBeGreaterThanOrEqual(2);

  // A later frame shows the propagated mask; a frame that was skipped shows none.
  await goTo(page, '#30');
  await expect.poll(() => maskPixels(page)).toBeGreaterThan(200);
  await goTo(page, '#32');
  await expect.poll(() => maskPixels(page)).toBe(0);

  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('Saved');
  await page.reload();
  await waitForVideo(page, 'vtest.webm');
  await expect(page.getByRole('group', { name: 'Propagation lanes' }).getByRole('img', { name: /^Object 1:/ })).toHaveAccessibleName(/1 anchor, \d+ computed/);
  await goTo(page, '#30');
  await expect.poll(() => maskPixels(page), { timeout: 30_000 }).toBeGreaterThan(200);
});
