/**
 * Projects that are datasets: a V2P-Bench folder (e2e/fixtures/v2p-mini: three clips with their
 * frame number burnt in and a background colour each, prompt images with a red box and a marker
 * colour each) imports into a new project; its items are asked against the endpoint test double
 * with their own prompt image and frames of their own video; videos are switched from the Videos
 * panel; everything survives a reload. `?folders=input`: the folder <input> (copies into the
 * browser), since a test cannot answer the directory picker.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { startFakeEndpoint, type FakeEndpoint } from '../testing/fake-endpoint/server';
import { askPanel, configureEndpoint, finalStatus, frameCodeOf, sentImage, trajectory } from './askHelpers';
import { fixture, frameColorAt, readFrameCode } from './helpers';
import { expect, test, type Page } from './test';

let fake: FakeEndpoint;

test.beforeAll(async () => {
  fake = await startFakeEndpoint({ chunkDelayMs: 2 });
});
test.afterAll(async () => {
  await fake.close();
});
test.beforeEach(() => {
  fake.reset();
  fake.setScript('videoseeker');
});

const origin = (): string => fake.url.replace(/\/v1$/, '');

/** Background colours of the three clips (README of the fixture). */
const BACKGROUND = { 'Alpha/clip.mp4': [0x10, 0x20, 0x40], 'Beta/clip.mp4': [0x40, 0x20, 0x10], 'Beta/walk.mp4': [0x10, 0x40, 0x20] } as const;

function rgbAt(image: Uint8Array, x: number, y: number, source = { width: 640, height: 360 }): [number, number, number] {
  const { width, height, data } = jpeg.decode(image, { useTArray: true, formatAsRGBA: true });
  const i = (Math.round((y * height) / source.height) * width + Math.round((x * width) / source.width)) * 4;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

function near(actual: readonly number[], expected: readonly number[], tolerance = 24): boolean {
  return actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance);
}

async function importFolder(page: Page, folder: string): Promise<void> {
  await page.getByRole('tab', { name: 'QA dataset' }).click();
  await page.getByLabel('Import dataset folder').setInputFiles(folder);
}

function videosTable(page: Page) {
  return page.getByRole('table', { name: 'Project videos' });
}

/** The body rows of the Videos panel (the header row and spacers left out). */
function videoRows(page: Page) {
  return videosTable(page).locator('tbody tr:not([aria-hidden])');
}

async function showVideos(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Videos' }).click();
}

/** The background colour of the picture on the stage (a point away from the code strip and the number). */
async function stageBackground(page: Page): Promise<[number, number, number]> {
  return (await frameColorAt(page, 60, 300)) ?? [-255, -255, -255];
}

test('a V2P-Bench folder becomes a project of 3 videos; an item is asked with its own prompt image and its own video’s frames; switching and a reload keep everything', async ({ page }) => {
  test.setTimeout(180_000);
  await configureEndpoint(page, { baseUrl: fake.url });
  await page.goto('./?folders=input');
  await importFolder(page, fixture('v2p-mini'));
  await expect(page.getByText(/Imported 4 QA items/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/in the new project “v2p-mini”/)).toBeVisible();

  await showVideos(page);
  await expect(videoRows(page)).toHaveCount(3);
  // The same file name in two folders: two videos.
  await expect(videoRows(page).nth(0)).toContainText('Beta/clip.mp4');
  await expect(videoRows(page).nth(1)).toContainText('Alpha/clip.mp4');
  await expect(videoRows(page).nth(2)).toContainText('Beta/walk.mp4');
  // The first video of the dataset is open: its frame 0 on the stage, its background colour.
  await expect(videoRows(page).nth(0)).toHaveAttribute('aria-current', 'true');
  await expect.poll(() => readFrameCode(page)).toBe(0);
  await expect.poll(async () => near(await stageBackground(page), BACKGROUND['Beta/clip.mp4'])).toBe(true);

  // Ask the Alpha item from the QA table: Alpha/clip.mp4 opens, the question goes out with the
  // frames of that video and, for view_visual_prompt, the dataset's own image of it.
  fake.setExpectations({ video: { width: 640, height: 360, durationS: 2, fps: 25 } });
  await page.getByRole('tab', { name: 'QA dataset' }).click();
  await page.getByRole('searchbox', { name: 'Search QA items' }).fill('Alpha/clip');
  const rows = page.getByRole('table', { name: 'QA items' }).locator('tbody tr:not([aria-hidden])');
  await expect(rows).toHaveCount(1);
  await rows.first().click();
  await page.getByRole('button', { name: 'Ask this item' }).click();
  await page.getByRole('tab', { name: 'Ask' }).click();
  expect(await finalStatus(page)).toBe('Done');
  const problems = fake.requests().flatMap((r) => [...r.problems, ...(r.rejected ? [`rejected: ${r.rejected}`] : [])]);
  expect(problems).toEqual([]);
  const first = fake.requests().find((r) => r.frames !== null)!;
  // Frames of Alpha/clip.mp4: its background, and the burnt-in numbers rising from 0.
  const framesMessage = 0;
  const codes: number[] = [];
  for (let part = 1; part < first.frames!.count * 2; part += 2) {
    const image = await sentImage(origin(), first.index, framesMessage, part);
    expect(near(rgbAt(image, 60, 300), BACKGROUND['Alpha/clip.mp4']), `frame part ${part} is from Alpha/clip.mp4`).toBe(true);
    codes.push(frameCodeOf(image));
  }
  expect(codes[0]).toBe(0);
  expect(codes.at(-1)).toBeGreaterThan(40);
  // view_visual_prompt returned the prompt image itself: its yellow marker, its red box, full size.
  const vp = await fetch(`${origin()}/__fake/pixel?visualPrompt=1&x=604&y=324`).then((r) => r.json() as Promise<{ r: number; g: number; b: number; width: number; height: number }>);
  expect([vp.width, vp.height]).toEqual([640, 360]);
  expect(near([vp.r, vp.g, vp.b], [0xff, 0xff, 0x00], 40)).toBe(true);
  const box = await fetch(`${origin()}/__fake/pixel?visualPrompt=1&x=204&y=200`).then((r) => r.json() as Promise<{ r: number; g: number; b: number }>);
  expect(box.r).toBeGreaterThan(180);
  expect(box.g).toBeLessThan(80);
  // The question named the dataset's own paths, as the reference client does.
  expect([first.videoPath, first.framePath]).toEqual(['Alpha/clip.mp4', 'Alpha/clip.jpg']);
  await expect(trajectory(page)).toContainText('How many white squares');

  // The open video is now Alpha/clip.mp4; switch to Beta/walk.mp4 and back.
  await showVideos(page);
  await expect(videoRows(page).nth(1)).toHaveAttribute('aria-current', 'true');
  await videoRows(page).nth(2).click();
  await expect(videoRows(page).nth(2)).toHaveAttribute('aria-current', 'true');
  await expect.poll(async () => near(await stageBackground(page), BACKGROUND['Beta/walk.mp4'])).toBe(true);
  await videoRows(page).nth(1).press('Enter');
  await expect(videoRows(page).nth(1)).toHaveAttribute('aria-current', 'true');
  await expect.poll(async () => near(await stageBackground(page), BACKGROUND['Alpha/clip.mp4'])).toBe(true);

  // A reload once the project says it is saved: the project, its 3 videos, its 4 items and the query are all there.
  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('Saved');
  await page.reload();
  await showVideos(page);
  await expect(videoRows(page)).toHaveCount(3);
  await expect(videoRows(page).nth(1)).toHaveAttribute('aria-current', 'true');
  await expect.poll(async () => near(await stageBackground(page), BACKGROUND['Alpha/clip.mp4'])).toBe(true);
  await page.getByRole('tab', { name: 'QA dataset' }).click();
  await expect(page.getByRole('table', { name: 'QA items' }).locator('tbody tr:not([aria-hidden])')).toHaveCount(4);
  await page.getByRole('tab', { name: 'Ask' }).click();
  await expect(askPanel(page).getByText('How many white squares').first()).toBeVisible();
});

test('a dataset with a missing video lists it with its items, and the other videos work; a folder without dataset_info*.json is refused', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = await mkdtemp(join(tmpdir(), 'vss-v2p-'));
  try {
    const folder = join(dir, 'partial');
    await cp(fixture('v2p-mini'), folder, { recursive: true });
    await rm(join(folder, 'videos/Beta/walk.mp4'));
    await page.goto('./?folders=input');
    await importFolder(page, folder);
    await expect(page.getByText(/Videos: 2 of 3 found; missing: Beta\/walk\.mp4 \(1 item\)/)).toBeVisible({ timeout: 30_000 });
    await showVideos(page);
    await expect(videoRows(page)).toHaveCount(3);
    await expect(videoRows(page).nth(2)).toContainText(/Missing/);
    await videoRows(page).nth(2).click();
    await expect(page.getByRole('alert', { name: 'Project problems' })).toContainText('Beta/walk.mp4');
    // The open video stays; another one opens.
    await expect(videoRows(page).nth(0)).toHaveAttribute('aria-current', 'true');
    await videoRows(page).nth(1).click();
    await expect(videoRows(page).nth(1)).toHaveAttribute('aria-current', 'true');
    await expect.poll(async () => near(await stageBackground(page), BACKGROUND['Alpha/clip.mp4'])).toBe(true);

    const notDataset = join(dir, 'no-json');
    await cp(fixture('v2p-mini'), notDataset, { recursive: true });
    await rm(join(notDataset, 'dataset_info.json'));
    await writeFile(join(notDataset, 'notes.txt'), 'not a dataset');
    await importFolder(page, notDataset);
    await expect(page.getByText(/Nothing was imported: .*no dataset_info\*\.json/)).toBeVisible();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
