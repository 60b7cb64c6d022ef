import { expect, test } from '@playwright/test';
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
