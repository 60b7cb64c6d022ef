/**
 * Retakes docs/screenshot.png (the README's picture) from a production build: the sample video,
 * a person boxed and segmented by the real model, and a question asked about him, answered by the
 * endpoint test double (a scripted VideoSeeker trajectory; no real model is involved).
 *   npm run build && npx tsx scripts/screenshot.ts
 */
import { preview } from 'vite';
import { startFakeEndpoint } from '../testing/fake-endpoint/server';
import { launchChromium } from './bench-lib.mjs';

const server = await preview({ preview: { port: 0, host: '127.0.0.1' } });
const url = server.resolvedUrls?.local[0];
if (!url) throw new Error('vite preview did not start');
const fake = await startFakeEndpoint({ chunkDelayMs: 0 });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  await page.addInitScript('window.__name = (f) => f;');
  await page.addInitScript((base) => localStorage.setItem('videoseeker.endpoint.v1', JSON.stringify({ baseUrl: base, model: 'videoseeker-8b' })), fake.url);
  await page.goto(url);
  await page.waitForFunction(() => document.querySelectorAll('.thumb').length >= 20, null, { timeout: 60_000 });
  await page.getByRole('status', { name: 'Segmentation model' }).filter({ hasText: 'SAM ready' }).waitFor({ timeout: 120_000 });
  // Box the man by the lamp post on frame 0 and wait for his mask.
  const toScreen = (x: number, y: number) =>
    page.evaluate(([x, y]) => {
      const s = (window as unknown as { Konva: { stages: { container(): HTMLElement; x(): number; y(): number; scaleX(): number }[] } }).Konva.stages[0]!;
      const r = s.container().getBoundingClientRect();
      return { x: r.left + s.x() + x! * s.scaleX(), y: r.top + s.y() + y! * s.scaleX() };
    }, [x, y]);
  await page.keyboard.press('b');
  const a = await toScreen(243, 218);
  const b = await toScreen(294, 320);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 6 });
  await page.mouse.up();
  await page.getByLabel('Object 1 on this frame').filter({ hasText: ' px' }).waitFor({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Rename Object 1' }).click();
  await page.getByRole('textbox', { name: 'Name of Object 1' }).fill('man by the lamp post');
  await page.keyboard.press('Enter');
  // The test double serves "videoseeker-fake"; the picture names the model the app is made for.
  fake.setScript('videoseeker', { answer: 'He walks to the lamp post, stops next to it, then turns and walks away along the path.' });
  await page.evaluate(() => (window as unknown as { __videoSeekerStore: { getState(): { updateSettings(p: object): void } } }).__videoSeekerStore.getState().updateSettings({ model: '' }));
  await page.getByRole('textbox', { name: 'Question' }).fill('What does <vp> do after he reaches the lamp post?');
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
  await page.getByRole('region', { name: 'Trajectory' }).getByRole('status').filter({ hasText: 'Done' }).waitFor({ timeout: 120_000 });
  // Show the frames crop_video returned, and the form from its top.
  await page.getByRole('group', { name: 'Tool call crop_video' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.getByRole('region', { name: 'Ask VideoSeeker' }).getByText('Visual prompt', { exact: true }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.mouse.move(5, 5);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: 'docs/screenshot.png' });
  console.log('wrote docs/screenshot.png');
} finally {
  await browser.close();
  await fake.close();
  await new Promise((resolve) => server.httpServer.close(resolve));
}
process.exit(0);
