import { readFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from './test';
import { expectFrame, fixture, goTo, maskAlphaAt, openFile, toScreen, waitForVideo } from './helpers';

/**
 * Where the mask layer paints, on a grid of frame pixels (step 4) around the man by the lamp post:
 * one string per row, "#" where the mask is drawn (alpha > 0), "." where it is not. Read from the
 * stage's own canvas, through its current zoom and pan.
 */
async function maskPicture(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Layer = { name(): string; getNativeCanvasElement(): HTMLCanvasElement; getCanvas(): { getPixelRatio(): number } };
    const konva = (window as unknown as { Konva: { stages: { getLayers(): Layer[]; x(): number; y(): number; scaleX(): number }[] } }).Konva;
    const stage = konva.stages[0]!;
    const layer = stage.getLayers().find((l) => l.name() === 'masks')!;
    const ratio = layer.getCanvas().getPixelRatio();
    const canvas = layer.getNativeCanvasElement();
    const { data, width } = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, canvas.width, canvas.height);
    const rows: string[] = [];
    for (let y = 190; y <= 350; y += 4) {
      let row = '';
      for (let x = 210; x <= 330; x += 4) {
        const px = Math.round((stage.x() + x * stage.scaleX()) * ratio);
        const py = Math.round((stage.y() + y * stage.scaleX()) * ratio);
        row += data[(py * width + px) * 4 + 3]! > 0 ? '#' : '.';
      }
      rows.push(row);
    }
    return rows;
  });
}

const painted = (picture: readonly string[]): number => picture.join('').split('#').length - 1;

test('objects, prompts and masks survive a reload, with the video', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('./');
  await waitForVideo(page, 'vtest.webm');
  await expect(page.getByRole('button', { name: 'Projects' })).toHaveText('vtest.webm');

  // A positive point on the man left of the lamp post (frame pixels 268, 250).
  await page.keyboard.press('p');
  const at = await toScreen(page, 268, 250);
  await page.mouse.click(at.x, at.y);
  const meta = page.getByRole('region', { name: 'Objects' }).getByLabel('Object 1 on this frame');
  await expect(meta).toContainText(/\d+ px/, { timeout: 150_000 });
  const before = await meta.textContent();
  await page.getByRole('button', { name: 'Rename Object 1' }).click();
  await page.getByRole('textbox', { name: 'Name of Object 1' }).fill('man by the post');
  await page.keyboard.press('Enter');
  // The new name is in the store (its save is scheduled) before "Saved" can mean it.
  await expect(page.getByRole('region', { name: 'Objects' }).getByRole('button', { name: /^man by the post/ })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('Saved');
  // The mask as painted: on the man (the clicked point), not beside him, a man-sized shape.
  const mask = await maskPicture(page);
  expect(await maskAlphaAt(page, 268, 250)).toBeGreaterThan(0);
  expect(await maskAlphaAt(page, 150, 250)).toBe(0);
  expect(painted(mask)).toBeGreaterThan(40);
  expect(painted(mask)).toBeLessThan(mask.join('').length / 2);

  await page.reload();
  await waitForVideo(page, 'vtest.webm');
  await expect(page.getByRole('region', { name: 'Objects' }).getByRole('button', { name: /^man by the post/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Objects' }).getByLabel('man by the post on this frame')).toHaveText(before ?? '');
  // The same mask, pixel for pixel where it is painted: not only the same area.
  await expect.poll(() => maskPicture(page), { message: 'the mask painted after the reload' }).toEqual(mask);
});

test('projects are datasets: opened videos join the open project and keep their frame; projects can be created, listed, switched, renamed and deleted', async ({ page }) => {
  await page.goto('./?sample=0&model=off');
  await openFile(page, 'frames-vp8.webm');
  await waitForVideo(page, 'frames-vp8.webm');
  await openFile(page, 'frames-h264.mp4');
  await waitForVideo(page, 'frames-h264.mp4');
  await goTo(page, '#5');
  await expectFrame(page, 5);

  // Both videos are in the one project; each comes back at its own frame.
  await page.getByRole('tab', { name: 'Videos' }).click();
  const rows = page.getByRole('table', { name: 'Project videos' }).locator('tbody tr:not([aria-hidden])');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toHaveAttribute('aria-current', 'true');
  await rows.filter({ hasText: 'frames-vp8.webm' }).click();
  await waitForVideo(page, 'frames-vp8.webm');
  await expectFrame(page, 0);
  await rows.filter({ hasText: 'frames-h264.mp4' }).click();
  await waitForVideo(page, 'frames-h264.mp4');
  await expectFrame(page, 5);

  // A new, empty project; a video opened there joins it.
  await page.getByRole('button', { name: 'Projects' }).click();
  const dialog = page.getByRole('dialog', { name: 'Projects' });
  const list = dialog.getByRole('list', { name: 'Saved projects' });
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list).toContainText('2 videos');
  await dialog.getByRole('button', { name: 'New project' }).click();
  await expect(rows).toHaveCount(0);
  await expect(page.getByRole('complementary', { name: 'Video details' })).toContainText('No video open');
  await openFile(page, 'frames-vp8.webm');
  await waitForVideo(page, 'frames-vp8.webm');
  await expect(rows).toHaveCount(1);

  await page.getByRole('button', { name: 'Projects' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await dialog.getByRole('button', { name: 'Rename frames-vp8.webm' }).click();
  await dialog.getByRole('textbox', { name: 'New name for frames-vp8.webm' }).fill('Two clips');
  await dialog.getByRole('button', { name: 'Save name' }).click();
  await expect(list).toContainText('Two clips');
  await dialog.getByRole('button', { name: 'Open Two clips' }).click();
  // It opens on the video that was open in it.
  await waitForVideo(page, 'frames-h264.mp4');
  await expect(page.getByRole('button', { name: 'Projects' })).toHaveText('Two clips');

  // The last project comes back after a reload, its video read from the browser's storage.
  await page.reload();
  await waitForVideo(page, 'frames-h264.mp4');
  await expect(page.getByRole('button', { name: 'Projects' })).toHaveText('Two clips');
  await page.getByRole('tab', { name: 'Videos' }).click();
  await expect(rows).toHaveCount(2);

  await page.getByRole('button', { name: 'Projects' }).click();
  page.once('dialog', (d) => void d.accept());
  await dialog.getByRole('button', { name: /^Delete Project/ }).click();
  await expect(list.getByRole('listitem')).toHaveCount(1);
});

/** A real camera export's name: long, with no space or hyphen where a line could break. */
const LONG_NAME = '20240601_camera07_parking_lot_north_entrance_ir_night_mode_continuous_recording_segment_000142_of_000500_h264_1920x1080_30fps_original_upload_do_not_delete_keep_for_annotation';

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * `message` is on screen, whole: the page does not scroll sideways (at 1280 × 800), the message
 * fits in the window and its text is not cut off inside it, and it overlaps none of `controls`.
 */
async function expectFits(page: Page, message: Locator, controls: Locator[]): Promise<void> {
  await expect(message).toBeVisible();
  const doc = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(doc.scroll, 'the page scrolls sideways').toBeLessThanOrEqual(doc.client);
  const box = (await message.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(doc.client);
  const own = await message.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
  expect(own.scroll, 'the text runs out of the message').toBeLessThanOrEqual(own.client);
  for (const control of controls) {
    const other = (await control.boundingBox())!;
    expect(overlaps(box, other), `the message covers ${await control.getAttribute('aria-label') ?? await control.textContent()}`).toBe(false);
  }
}

test('long messages wrap and cover no control: the model not served, storage full, a file that is not a video, bad dataset and results files', async ({ page }) => {
  // The server cannot give the model (a proxy's 503): its failure is said in the top bar.
  await page.route('**/*.onnx', (route) => route.fulfill({ status: 503, contentType: 'text/plain', body: 'Service Unavailable' }));
  await page.goto('./?sample=0&model=off');
  await page.getByRole('button', { name: 'Load segmentation model' }).click();
  const modelFailed = page.getByRole('alert', { name: 'Segmentation model' });
  await expect(modelFailed).toContainText('Could not download');
  const topBar = ['Projects', 'Select tool', 'Fit to view', 'Open video', 'Keyboard shortcuts', 'About'].map((name) => page.getByRole('button', { name, exact: true }));
  await expectFits(page, modelFailed, topBar);
  await expect(page.getByRole('complementary', { name: 'Video details' })).toContainText('No video open');
  // Storage full: 40 kB more may be stored, less than the 75 kB video, so storing it fails as on a full disk.
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(page.url()).origin;
  const { usage } = (await cdp.send('Storage.getUsageAndQuota', { origin })) as { usage: number };
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 40_000 });
  await page.getByRole('button', { name: 'Open video' }).click();
  await page.getByRole('dialog', { name: 'Open video' }).getByLabel('Video file').setInputFiles({ name: `${LONG_NAME}.webm`, mimeType: 'video/webm', buffer: await readFile(fixture('frames-vp8.webm')) });
  await waitForVideo(page, LONG_NAME.slice(0, 40));
  const storageFull = page.getByRole('alert').filter({ hasText: 'Not enough storage space' });
  await expect(storageFull).toContainText(LONG_NAME);
  const newObject = page.getByRole('button', { name: 'New object' });
  await expectFits(page, storageFull, [newObject, page.getByRole('button', { name: 'Open video' }), page.getByRole('button', { name: 'Play', exact: true })]);
  // Not covered means it takes the click.
  await newObject.click({ timeout: 5000 });
  await expect(page.getByRole('region', { name: 'Objects' }).getByRole('button', { name: /^Object 1/ })).toBeVisible();

  // A file that is not a video: the message over the frame view names it.
  await page.getByRole('button', { name: 'Open video' }).click();
  await page.getByRole('dialog', { name: 'Open video' }).getByLabel('Video file').setInputFiles({ name: `${LONG_NAME}.mp4`, mimeType: 'video/mp4', buffer: Buffer.from('this is not a video, only a long name') });
  const notVideo = page.getByRole('alert').filter({ hasText: 'Could not open' });
  await expect(notVideo).toContainText(LONG_NAME);
  await expectFits(page, notVideo, [newObject, page.getByRole('button', { name: 'Play', exact: true }), page.getByRole('slider').first()]);

  // A dataset file that is not JSON: the QA panel's message names it and stays inside the panel.
  await page.getByRole('tab', { name: 'QA dataset' }).click();
  const qa = page.getByRole('region', { name: 'QA dataset' });
  await qa.getByLabel('Import dataset file').setInputFiles({ name: `${LONG_NAME}.json`, mimeType: 'application/json', buffer: Buffer.from('[{"video_id": ') });
  const badImport = qa.getByRole('alert');
  await expect(badImport).toContainText(`${LONG_NAME}.json is not valid JSON`);
  await expectFits(page, badImport, [qa.getByRole('button', { name: 'Export dataset (ZIP)' })]);
  const panel = await qa.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
  expect(panel.scroll, 'the QA panel scrolls sideways').toBeLessThanOrEqual(panel.client);

  // A results file with nothing in it, in the Review workspace.
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('button', { name: 'Review' }).click();
  await page.getByLabel('Results file').setInputFiles({ name: `${LONG_NAME}.jsonl`, mimeType: 'application/jsonl', buffer: Buffer.from('not a results line\n') });
  const noResults = page.getByRole('alert').filter({ hasText: 'No results in' });
  await expect(noResults).toContainText(LONG_NAME);
  await expectFits(page, noResults, [page.getByRole('button', { name: 'Import results…' })]);
});
