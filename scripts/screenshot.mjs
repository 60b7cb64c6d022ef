// Retakes docs/screenshot.png (the README's picture) from a production build:
//   npm run build && node scripts/screenshot.mjs
import { preview } from 'vite';
import { launchChromium } from './bench-lib.mjs';

const server = await preview({ preview: { port: 0, host: '127.0.0.1' } });
const url = server.resolvedUrls?.local[0];
if (!url) throw new Error('vite preview did not start');
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  await page.goto(url);
  await page.waitForFunction(() => document.querySelectorAll('.thumb').length >= 20, null, { timeout: 60_000 });
  await page.getByRole('status', { name: 'Segmentation model' }).filter({ hasText: 'SAM ready' }).waitFor({ timeout: 120_000 });
  // Box the man by the lamp post on frame 0 and wait for his mask.
  const toScreen = (x, y) =>
    page.evaluate(([x, y]) => {
      const s = window.Konva.stages[0];
      const r = s.container().getBoundingClientRect();
      return { x: r.left + s.x() + x * s.scaleX(), y: r.top + s.y() + y * s.scaleX() };
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
  await page.mouse.move(5, 5);
  await page.waitForTimeout(800);
  await page.screenshot({ path: 'docs/screenshot.png' });
  console.log('wrote docs/screenshot.png');
} finally {
  await browser.close();
  await new Promise((resolve) => server.httpServer.close(resolve));
}
