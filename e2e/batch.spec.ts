/**
 * A batch run across the videos of a dataset, end to end: e2e/fixtures/v2p-mini (three clips with
 * their frame number burnt in and a background colour each) with its four records three times
 * over (12 items), imported with the folder <input>, run 4 at a time against the endpoint test
 * double. Every request carries frames of its own item's video (read by pixels: the background
 * colour and the burnt-in numbers, for the question's frames and crop_video's), the page is
 * reloaded mid-run, and resuming asks only the items not finished before.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { fakeTls, startFakeEndpoint, type FakeEndpoint, type ImageSummary, type RequestRecord } from '../testing/fake-endpoint/server';
import { configureEndpoint, frameCodeOf, sentImage } from './askHelpers';
import { fixture } from './helpers';
import { expect, test, type Page } from './test';

let fake: FakeEndpoint;

// The HTTPS endpoint double's certificate is self-signed.
test.use({ ignoreHTTPSErrors: true });

test.beforeAll(async () => {
  fake = await startFakeEndpoint({ chunkDelayMs: 5 });
});
test.afterAll(async () => {
  await fake.close();
});

const origin = (): string => fake.url.replace(/\/v1$/, '');

/** The clips of the fixture (its README): background colour, frames, frame rate. */
const CLIPS: Record<string, { readonly background: readonly [number, number, number]; readonly frames: number }> = {
  'Alpha/clip.mp4': { background: [0x10, 0x20, 0x40], frames: 50 },
  'Beta/clip.mp4': { background: [0x40, 0x20, 0x10], frames: 75 },
  'Beta/walk.mp4': { background: [0x10, 0x40, 0x20], frames: 60 },
};
const FPS = 25;
const COPIES = 3;

/** The colour at a point of the 640×360 source, read from an image sent at any size. */
function rgbAt(image: Uint8Array, x: number, y: number): [number, number, number] {
  const { width, height, data } = jpeg.decode(image, { useTArray: true, formatAsRGBA: true });
  const i = (Math.round((y * height) / 360) * width + Math.round((x * width) / 640)) * 4;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

const near = (a: readonly number[], b: readonly number[], tolerance = 24): boolean => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);

/** The fixture folder with every record three times ("Run k: " before each question, so the items differ). */
async function tripledDataset(dir: string): Promise<string> {
  const folder = join(dir, 'v2p-mini');
  await cp(fixture('v2p-mini'), folder, { recursive: true });
  const records = JSON.parse(await readFile(join(folder, 'dataset_info.json'), 'utf8')) as Record<string, unknown>[];
  const copies = Array.from({ length: COPIES }, (_, k) => records.map((r) => ({ ...r, question: `Run ${k + 1}: ${String(r.question)}` }))).flat();
  await writeFile(join(folder, 'dataset_info.json'), JSON.stringify(copies));
  return folder;
}

/** The app against `baseUrl` with the tripled fixture imported as a folder, on the Review workspace. */
async function openTripledDataset(page: Page, baseUrl: string, dir: string): Promise<void> {
  await configureEndpoint(page, { baseUrl });
  await page.goto('./?folders=input');
  await page.getByRole('tab', { name: 'QA dataset' }).click();
  await page.getByLabel('Import dataset folder').setInputFiles(await tripledDataset(dir));
  await expect(page.getByText(/Imported 12 QA items/)).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Review', exact: true }).click();
}

/** The batch dialog, opened from the Review workspace. */
async function openBatchDialog(page: Page) {
  await page.getByRole('button', { name: 'Run batch…' }).click();
  return page.getByRole('dialog', { name: 'Run QA items through the model' });
}

function progress(page: Page) {
  return page.getByRole('region', { name: 'Runs' }).getByLabel('Batch progress').getByRole('status');
}

const doneIn = (text: string): number => Number(/(\d+) done/.exec(text)?.[1] ?? -1);

/** The chat requests of the run (since `since`). */
const chats = (since = 0): RequestRecord[] => fake.requests().slice(since).filter((r) => r.path.endsWith('/chat/completions'));

/** Which item ("Run k: " + its video) a request asks about. */
function itemOf(r: RequestRecord): string {
  const text = r.texts.flat().join('\n');
  const run = /Run (\d+): /.exec(text)?.[1];
  return `${run ?? '?'} ${r.videoPath ?? '?'} ${/highlighted box[^?]*\?/.exec(text)?.[0] ?? text.slice(0, 40)}`;
}

/** Checks that every image of `images` is a frame of `video` (its background) with a burnt-in number in `range`; returns the numbers. */
async function framesOf(r: RequestRecord, images: readonly ImageSummary[], video: string, range: readonly [number, number]): Promise<number[]> {
  const clip = CLIPS[video]!;
  const codes: number[] = [];
  for (const im of images) {
    const bytes = await sentImage(origin(), r.index, im.message, im.part);
    expect(near(rgbAt(bytes, 60, 300), clip.background), `request ${r.index} (${video}) image ${im.message}/${im.part} has its video's background`).toBe(true);
    const code = frameCodeOf(bytes);
    expect(code, `request ${r.index} image ${im.message}/${im.part}`).toBeGreaterThanOrEqual(range[0]);
    expect(code, `request ${r.index} image ${im.message}/${im.part}`).toBeLessThanOrEqual(range[1]);
    codes.push(code);
  }
  return codes;
}

test('a batch over 12 items of 3 videos, 4 at a time: every request carries its own video’s frames; a reload mid-run resumes with only the items left', async ({ page }) => {
  test.setTimeout(300_000);
  const dir = await mkdtemp(join(tmpdir(), 'vss-batch-'));
  try {
    fake.reset();
    // Slow enough streams that the reload lands while items are in flight.
    fake.setScript('videoseeker', { chunkDelayMs: 60 });
    await openTripledDataset(page, fake.url, dir);
    const dialog = await openBatchDialog(page);
    await dialog.getByRole('spinbutton', { name: 'Items at a time' }).fill('4');
    await expect(dialog.getByRole('spinbutton', { name: 'Videos decoded at once' })).toHaveValue('2');
    await dialog.getByRole('button', { name: 'Run 12 items' }).click();
    await expect(dialog).toBeHidden({ timeout: 30_000 });

    // Reload once some items are done and others are still to go.
    await expect(progress(page)).toHaveText(/running · ([3-9]|10) done · 0 failed · ([2-9]) left/, { timeout: 120_000 });
    const before = chats();
    await page.reload();
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    await expect(progress(page)).toContainText('interrupted');
    const doneAtReload = doneIn((await progress(page).textContent()) ?? '');
    expect(doneAtReload).toBeGreaterThanOrEqual(3);
    expect(doneAtReload).toBeLessThan(12);
    const since = fake.requests().length;
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(progress(page)).toHaveText(/finished · 12 done · 0 failed · 0 left/, { timeout: 180_000 });

    // Only the items not finished before the reload were asked again, each once.
    const firstRounds = (rs: RequestRecord[]) => rs.filter((r) => !r.roles.includes('assistant'));
    const resumed = firstRounds(chats(since)).map(itemOf);
    expect(resumed).toHaveLength(12 - doneAtReload);
    expect(new Set(resumed).size).toBe(resumed.length);
    // Those not asked again were answered before the reload.
    const answeredBefore = new Set(before.filter((r) => r.response?.finishReason === 'stop').map(itemOf));
    const everyItem = new Set(firstRounds(before).map(itemOf));
    expect(everyItem.size + firstRounds(chats(since)).filter((r) => !everyItem.has(itemOf(r))).length).toBe(12);
    for (const item of everyItem) if (!resumed.includes(item)) expect(answeredBefore.has(item), `${item} was answered before the reload`).toBe(true);

    // Every request of the run is valid for the protocol, and each item's frames are its own video's.
    const all = chats();
    expect(all.flatMap((r) => [...r.problems, ...(r.rejected ? [r.rejected] : [])])).toEqual([]);
    expect(new Set(firstRounds(all).map((r) => r.videoPath))).toEqual(new Set(Object.keys(CLIPS)));
    for (const r of firstRounds(all)) {
      const video = r.videoPath!;
      const questionFrames = r.images.filter((im) => im.message === 0);
      expect(questionFrames.length).toBe(r.frames!.count);
      const codes = await framesOf(r, questionFrames, video, [0, CLIPS[video]!.frames - 1]);
      // Sampled over the whole clip, in order, from its first frame.
      expect(codes[0]).toBe(0);
      expect(codes).toEqual([...codes].sort((a, b) => a - b));
    }
    // crop_video's frames: the item's own video again, within the range asked (0 to 3 s).
    const crops = all.flatMap((r) => r.toolResults.filter((t) => t.name === 'crop_video' && t.outcome === 'success').map((t) => ({ r, t })));
    expect(crops.length).toBeGreaterThanOrEqual(12);
    for (const { r, t } of crops) {
      const codes = await framesOf(r, t.images, r.videoPath!, [0, 3 * FPS]);
      expect(codes.length).toBeGreaterThan(1);
    }

    // Per video: Beta/clip.mp4 has 6 items, the others 3 each, all done.
    await page.getByText(/^Per video \(3\)$/).click();
    const perVideo = page.getByRole('table', { name: 'Batch progress per video' });
    await expect(perVideo.getByRole('row', { name: /Beta\/clip\.mp4/ })).toHaveText(/Beta\/clip\.mp4\s*6\s*0\s*0/);
    await expect(perVideo.getByRole('row', { name: /Alpha\/clip\.mp4/ })).toHaveText(/Alpha\/clip\.mp4\s*3\s*0\s*0/);
    await expect(perVideo.getByRole('row', { name: /Beta\/walk\.mp4/ })).toHaveText(/Beta\/walk\.mp4\s*3\s*0\s*0/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('more than 6 at a time: over plain HTTP the dialog says the browser holds all but 6 back; over HTTPS (HTTP/2) all are at the model at once', async ({ page }) => {
  test.setTimeout(240_000);
  const secure = await startFakeEndpoint({ tls: fakeTls(), chunkDelayMs: 5, latencyS: 3 });
  const dir = await mkdtemp(join(tmpdir(), 'vss-batch-h2-'));
  try {
    await openTripledDataset(page, fake.url, dir);

    // Plain HTTP (vLLM's own): 8 at a time would be 6 at the model.
    const dialog = await openBatchDialog(page);
    const atOnce = dialog.getByRole('spinbutton', { name: 'Items at a time' });
    await atOnce.fill('8');
    const warning = dialog.getByRole('status').filter({ hasText: 'plain HTTP' });
    await expect(warning).toHaveText(new RegExp(`${origin().replace(/[.:/]/g, '\\$&')} is plain HTTP .* at most 6 requests at once .* 8 at a time will have 6 at the model and 2 waiting`));
    await atOnce.fill('6');
    await expect(warning).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // The same server behind HTTPS (HTTP/2): no warning, and 8 really are at the model together.
    await page.getByRole('button', { name: 'Annotate', exact: true }).click();
    await page.getByRole('tab', { name: 'Ask' }).click();
    await page.getByRole('button', { name: 'Endpoint settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Endpoint settings' });
    await settings.getByRole('textbox', { name: 'Base URL' }).fill(secure.url);
    await settings.getByRole('textbox', { name: 'Base URL' }).press('Enter');
    await settings.getByRole('button', { name: 'Test connection' }).click();
    await expect(settings.getByRole('status', { name: 'Connection test' })).toContainText('Connected: 1 model');
    await settings.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    await openBatchDialog(page);
    await atOnce.fill('8');
    await expect(dialog.getByRole('status').filter({ hasText: 'plain HTTP' })).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Run 12 items' }).click();
    await expect(progress(page)).toHaveText(/finished · 12 done · 0 failed · 0 left/, { timeout: 180_000 });
    expect(secure.requests().filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(36);
    expect(secure.maxChatsInFlight()).toBeGreaterThan(6);
  } finally {
    await secure.close();
    await rm(dir, { recursive: true, force: true });
  }
});
