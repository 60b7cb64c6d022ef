// Retakes docs/screenshot.png (the README's picture) from a production build:
//   npm run build && node scripts/screenshot.mjs
import { chromium } from '@playwright/test';
import { preview } from 'vite';

const server = await preview({ preview: { port: 0, host: '127.0.0.1' } });
const url = server.resolvedUrls?.local[0];
if (!url) throw new Error('vite preview did not start');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  await page.goto(url);
  await page.waitForFunction(() => document.querySelectorAll('.thumb').length >= 20, null, { timeout: 60_000 });
  await page.getByRole('textbox', { name: 'Go to time' }).fill('0:21.4');
  await page.getByRole('textbox', { name: 'Go to time' }).press('Enter');
  await page.getByLabel('Current frame').filter({ hasText: 'Frame 214 /' }).waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: 'docs/screenshot.png' });
  console.log('wrote docs/screenshot.png');
} finally {
  await browser.close();
  await new Promise((resolve) => server.httpServer.close(resolve));
}
