import { expect, test } from './test';
import { framePixelStats, waitForVideo } from './helpers';

test('opens with the built-in sample drawn on the stage', async ({ page }) => {
  await page.goto('./');
  await waitForVideo(page, 'vtest.webm');
  await expect.poll(async () => (await framePixelStats(page)).std, { message: 'the frame must not be blank' }).toBeGreaterThan(20);
  const details = page.getByRole('complementary', { name: 'Video details' });
  await expect(details).toContainText('768 × 576');
  await expect(details).toContainText('10 fps');
  await expect(details).toContainText('795');
  await expect(details).toContainText('1:19.500');
  await expect(page.getByLabel('Current time')).toHaveText('0:00.000 / 1:19.500');
  await expect(page.getByRole('slider', { name: 'Timeline' })).toHaveAttribute('max', '794');
  await expect(page).toHaveTitle('vtest.webm — VideoSeeker Studio');
});

test('at 1280 × 800 every control of the top bar is whole and clickable, the model loaded and the sample open', async ({ page }) => {
  await page.goto('./');
  await waitForVideo(page, 'vtest.webm');
  await expect(page.getByRole('status', { name: 'Segmentation model' })).toContainText('ready', { timeout: 120_000 });
  const banner = page.getByRole('banner');
  const boxes = await banner.evaluate((bar) =>
    [...bar.querySelectorAll<HTMLElement>('button, [role="status"]')].map((e) => {
      const r = e.getBoundingClientRect();
      return { name: e.getAttribute('aria-label') ?? e.textContent ?? '', x: r.x, y: r.y, right: r.right, bottom: r.bottom };
    }),
  );
  for (const b of boxes) expect(b.right, `${b.name} runs out of the window`).toBeLessThanOrEqual(1280);
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) {
      const overlap = a.x < b.right - 0.5 && b.x < a.right - 0.5 && a.y < b.bottom - 0.5 && b.y < a.bottom - 0.5;
      expect(overlap, `${a.name} overlaps ${b.name}`).toBe(false);
    }
  }
  // The model's state is read whole ("SAM ready"; the details after it may be cut short, the tooltip has them).
  const ready = page.getByRole('status', { name: 'Segmentation model' }).getByText('SAM ready', { exact: true });
  const shown = await ready.evaluate((e) => {
    const r = e.getBoundingClientRect();
    const status = e.parentElement!.getBoundingClientRect();
    return { whole: e.scrollWidth <= e.clientWidth, insideStatus: r.left >= status.left - 0.5 && r.right <= status.right + 0.5, width: Math.round(r.width) };
  });
  expect(shown).toEqual({ whole: true, insideStatus: true, width: expect.any(Number) });
  expect(shown.width, '"SAM ready" has room').toBeGreaterThan(40);
  // The project's short name is shown whole, and the tools take their clicks.
  const project = page.getByRole('button', { name: 'Projects' });
  expect(await project.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  await page.getByRole('button', { name: 'Hand tool (pan)' }).click({ timeout: 5_000 });
  await expect(page.getByRole('button', { name: 'Hand tool (pan)' })).toHaveAttribute('aria-pressed', 'true');
});

test('is cross-origin isolated and serves wasm and ranged video correctly', async ({ page, request }) => {
  await page.goto('./');
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  const wasm = await request.get('ort/ort-wasm-simd-threaded.wasm');
  expect(wasm.status()).toBe(200);
  expect(wasm.headers()['content-type']).toBe('application/wasm');
  const ranged = await request.get('samples/vtest.webm', { headers: { Range: 'bytes=100-1123' } });
  expect(ranged.status()).toBe(206);
  expect(ranged.headers()['content-range']).toMatch(/^bytes 100-1123\/\d+$/);
  expect((await ranged.body()).length).toBe(1024);
  const index = await request.get('./');
  expect(index.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(index.headers()['cross-origin-embedder-policy']).toBe('require-corp');
});

test('same-origin video stays playable under cross-origin isolation', async ({ page }) => {
  await page.goto('./?sample=0');
  const size = await page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const video = document.createElement('video');
        video.muted = true;
        video.addEventListener('loadeddata', () => resolve(`${video.videoWidth}x${video.videoHeight}`));
        video.addEventListener('error', () => reject(new Error(video.error?.message ?? 'media error')));
        video.src = 'samples/vtest.webm';
      }),
  );
  expect(size).toBe('768x576');
});

test('about box credits the sample video', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('button', { name: 'About' }).click();
  const about = page.getByRole('dialog', { name: 'About VideoSeeker Studio' });
  await expect(about).toContainText('vtest.avi, OpenCV sample data (opencv.org), Apache-2.0');
  await about.getByRole('button', { name: 'Close' }).click();
  await expect(about).toBeHidden();
});

test('? lists the keyboard shortcuts', async ({ page }) => {
  await page.goto('./');
  await waitForVideo(page, 'vtest.webm');
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  for (const row of ['Play / pause', 'Next frame', 'Previous frame', 'Forward 1 second', 'Back 1 second', 'Zoom in', 'Hand tool (pan)']) {
    await expect(help.getByRole('row', { name: new RegExp(row.replace(/[()/]/g, '.')) })).toBeVisible();
  }
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});
