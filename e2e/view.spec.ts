import { expect, test, type Page } from './test';
import { waitForVideo } from './helpers';

const zoomOf = async (page: Page): Promise<number> =>
  Number(await page.getByRole('region', { name: 'Frame view' }).getAttribute('data-zoom'));

async function frameOrigin(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => {
    const konva = (window as unknown as { Konva: { stages: { x(): number; y(): number }[] } }).Konva;
    const stage = konva.stages[0]!;
    return { x: stage.x(), y: stage.y() };
  });
}

test('zooms with buttons, keys and the wheel, pans with the hand tool and Space-drag', async ({ page }) => {
  await page.goto('./');
  await waitForVideo(page, 'vtest.webm');
  const fit = await zoomOf(page);
  expect(fit).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(() => zoomOf(page)).toBeCloseTo(fit * 1.25, 3);
  await page.keyboard.press('+');
  await expect.poll(() => zoomOf(page)).toBeCloseTo(fit * 1.25 * 1.25, 3);
  await page.keyboard.press('-');
  await expect.poll(() => zoomOf(page)).toBeCloseTo(fit * 1.25, 3);

  const view = page.getByRole('region', { name: 'Frame view' });
  const box = (await view.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -200);
  await expect.poll(() => zoomOf(page)).toBeGreaterThan(fit * 1.3);

  await page.getByRole('button', { name: 'Hand tool (pan)' }).click();
  await expect(page.getByRole('button', { name: 'Hand tool (pan)' })).toHaveAttribute('aria-pressed', 'true');
  const before = await frameOrigin(page);
  await page.mouse.move(box.x + 200, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + 260, box.y + 230, { steps: 5 });
  await page.mouse.up();
  const after = await frameOrigin(page);
  expect(after.x - before.x).toBeCloseTo(60, 0);
  expect(after.y - before.y).toBeCloseTo(30, 0);

  // Space-drag pans with any tool, and does not toggle playback.
  await page.getByRole('button', { name: 'Select tool' }).click();
  await page.keyboard.down('Space');
  await page.mouse.move(box.x + 300, box.y + 300);
  await page.mouse.down();
  await page.mouse.move(box.x + 280, box.y + 300, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Space');
  expect((await frameOrigin(page)).x - after.x).toBeCloseTo(-20, 0);
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();

  await page.getByRole('button', { name: 'Fit to view' }).click();
  await expect.poll(() => zoomOf(page)).toBeCloseTo(fit, 3);
});
