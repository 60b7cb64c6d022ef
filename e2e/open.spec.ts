import { expect, test, type Page } from './test';
import { readFile } from 'node:fs/promises';
import { startFixtureServer } from './fixtureServer';
import { expectFrame, fixture, goTo, openFile, waitForVideo } from './helpers';

let server: Awaited<ReturnType<typeof startFixtureServer>>;
test.beforeAll(async () => {
  server = await startFixtureServer();
});
test.afterAll(async () => {
  await server.close();
});

async function openUrl(page: Page, url: string): Promise<void> {
  await page.getByRole('button', { name: 'Open video' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open video' });
  await dialog.getByRole('textbox', { name: 'Video URL' }).fill(url);
  await dialog.getByRole('button', { name: 'Open URL' }).click();
}

async function dropFile(page: Page, name: string, type: string): Promise<void> {
  const bytes = [...(await readFile(fixture(name)))];
  const dataTransfer = await page.evaluateHandle(
    ({ bytes, name, type }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], name, { type }));
      return dt;
    },
    { bytes, name, type },
  );
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await page.dispatchEvent('main', 'dragover', { dataTransfer });
  await page.dispatchEvent('main', 'drop', { dataTransfer });
}

test('opens a video by URL', async ({ page }) => {
  await page.goto('./?sample=0');
  await openUrl(page, server.url('frames-vp8.webm'));
  await waitForVideo(page, 'frames-vp8.webm');
  await goTo(page, '#33');
  await expectFrame(page, 33);
});

test('opens a video dropped on the page', async ({ page }) => {
  await page.goto('./?sample=0');
  await dropFile(page, 'frames-h264.mp4', 'video/mp4');
  await waitForVideo(page, 'frames-h264.mp4');
  await goTo(page, '#21');
  await expectFrame(page, 21);
});

/** Each bad input explains itself, and the video that was open stays open at the same frame. */
test.describe('bad input leaves the current video as it was', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('./?sample=0');
    await openFile(page, 'frames-vp8.webm');
    await waitForVideo(page, 'frames-vp8.webm');
    await goTo(page, '#42');
    await expectFrame(page, 42);
  });

  const expectUnchanged = async (page: Page): Promise<void> => {
    await expect(page.getByRole('complementary', { name: 'Video details' })).toContainText('frames-vp8.webm');
    await expectFrame(page, 42);
    await page.getByRole('button', { name: 'Next frame' }).click();
    await expectFrame(page, 43);
  };

  test('a file that is not a video', async ({ page }) => {
    await openFile(page, 'not-a-video.txt');
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Could not open “not-a-video.txt”');
    await expect(alert).toContainText('not a video file');
    await expectUnchanged(page);
  });

  test('a truncated file', async ({ page }) => {
    await openFile(page, 'truncated.mp4');
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Could not open “truncated.mp4”');
    await expect(alert).toContainText('truncated or corrupt');
    await expectUnchanged(page);
  });

  test('a codec the browser cannot decode', async ({ page }) => {
    await openFile(page, 'hevc.mp4');
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Could not open “hevc.mp4”');
    await expect(alert).toContainText('HEVC (H.265), which this browser cannot decode');
    await expectUnchanged(page);
  });

  test('an unreachable URL', async ({ page }) => {
    await openUrl(page, 'http://127.0.0.1:9/missing.mp4');
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Could not open http://127.0.0.1:9/missing.mp4');
    await expect(alert).toContainText('could not be reached');
    await expectUnchanged(page);
  });

  test('a URL that answers 404', async ({ page }) => {
    await openUrl(page, server.url('nothing-here.mp4'));
    await expect(page.getByRole('alert')).toContainText('HTTP 404');
    await expectUnchanged(page);
  });
});
