/**
 * A batch over a dataset with its results written to a file as they finish, end to end: the
 * V2P-Bench fixture of three videos (e2e/fixtures/v2p-mini) run through the endpoint test double
 * four at a time, every result appended to the chosen file (one valid reference line per item),
 * a result of the second video reviewed (its video opens at the item's frame, with its prompt
 * image), and a file that cannot be written any more mid-run. `?results=opfs`: the results file
 * is a file of the origin's private file system named as the app suggests (a test cannot answer
 * the save dialog); the app writes it through the same File System Access writables.
 */
import { readFile } from 'node:fs/promises';
import { startFakeEndpoint, type FakeEndpoint } from '../testing/fake-endpoint/server';
import { configureEndpoint } from './askHelpers';
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

interface DatasetRecord {
  readonly video_id: string;
  readonly question: string;
  readonly answer: string;
  readonly source: string;
  readonly video_path: string;
}

const records = async (): Promise<DatasetRecord[]> => JSON.parse(await readFile(fixture('v2p-mini/dataset_info.json'), 'utf8')) as DatasetRecord[];

/** The results file's text, read from the private file system of the page's origin. */
function fileText(page: Page, name: string): Promise<string | null> {
  return page.evaluate(async (name) => {
    try {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('results-files');
      return await (await (await dir.getFileHandle(name)).getFile()).text();
    } catch {
      return null;
    }
  }, name);
}

const linesOf = (text: string | null): Record<string, unknown>[] => (text ?? '').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

async function importDataset(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'QA dataset' }).click();
  await page.getByLabel('Import dataset folder').setInputFiles(fixture('v2p-mini'));
  await expect(page.getByText(/Imported 4 QA items/)).toBeVisible({ timeout: 30_000 });
}

/** Opens the batch dialog, chooses a results file, sets the concurrency and starts; the file's name. */
async function runWithFile(page: Page, concurrency: number): Promise<string> {
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await page.getByRole('button', { name: 'Run batch…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run QA items through the model' });
  await dialog.getByRole('button', { name: 'Also write results to a file…' }).click();
  const chosen = dialog.getByRole('status', { name: 'Chosen results file' });
  await expect(chosen).toContainText(/appended to .*\.jsonl as it finishes/);
  const name = (await chosen.locator('strong').textContent()) ?? '';
  await dialog.getByRole('spinbutton', { name: 'Items at a time' }).fill(String(concurrency));
  await dialog.getByRole('button', { name: 'Run 4 items' }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
  return name;
}

function progress(page: Page) {
  return page.getByRole('region', { name: 'Runs' }).getByLabel('Batch progress').getByRole('status');
}

test('a batch over 3 videos writes one valid results line per item as they finish; a result of the second video opens it at the item’s frame with its prompt image', async ({ page }) => {
  test.setTimeout(240_000);
  await configureEndpoint(page, { baseUrl: fake.url });
  await page.goto('./?folders=input&results=opfs&model=off');
  await importDataset(page);

  // The Alpha item's prompt image is frame 20 of Alpha/clip.mp4 (its file name does not say): set it.
  await page.getByRole('searchbox', { name: 'Search QA items' }).fill('Alpha/clip');
  const rows = page.getByRole('table', { name: 'QA items' }).locator('tbody tr:not([aria-hidden])');
  await expect(rows).toHaveCount(1);
  await rows.first().click();
  await page.getByRole('form', { name: 'QA item' }).getByRole('spinbutton', { name: 'Frame' }).fill('20');
  await page.getByRole('searchbox', { name: 'Search QA items' }).fill('');
  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('Saved');

  const name = await runWithFile(page, 4);
  await expect(progress(page)).toHaveText(/finished · 4 done · 0 failed · 0 left/, { timeout: 120_000 });
  const status = page.getByRole('status', { name: 'Results file of the run' });
  await expect(status).toContainText(`Results file “${name}”: 4 of 4 finished results written.`);

  // The file: one line per item, each the reference client's record of its own item.
  const lines = linesOf(await fileText(page, name));
  expect(lines).toHaveLength(4);
  const dataset = await records();
  expect(lines.map((l) => l.question).sort()).toEqual(dataset.map((r) => r.question).sort());
  for (const line of lines) {
    const record = dataset.find((r) => r.question === line.question && r.video_id === line.video_id)!;
    expect(record, `a line for ${String(line.video_id)}`).toBeDefined();
    expect(line).toMatchObject({ video_path: record.video_path, answer: record.answer, source: record.source, num_rounds: 3, model: 'videoseeker-fake' });
    expect((line.tool_calls as { name: string }[]).map((c) => c.name)).toEqual(['view_visual_prompt', 'crop_video']);
    expect(typeof line.response).toBe('string');
    expect(line.response).toContain('<answer>');
  }
  // Multiple choice: the double answers B, so the Beta/clip question (B) is correct and the others are not.
  expect(lines.filter((l) => l.correct === true).map((l) => l.video_id)).toEqual(['beta_clip']);
  const problems = fake.requests().flatMap((r) => [...r.problems, ...(r.rejected ? [`rejected: ${r.rejected}`] : [])]);
  expect(problems).toEqual([]);

  // Scores per video source: Alpha's one item wrong (C, answered B); Beta's two multiple-choice
  // items half right (its open-ended one is not judged, so it counts nowhere).
  await page.getByRole('tab', { name: 'Scores' }).click();
  const table = page.getByRole('table', { name: 'Score table' });
  await expect(table.getByRole('row', { name: 'By video source: Alpha' })).toContainText('0.0 % (0/1)');
  await expect(table.getByRole('row', { name: 'By video source: Beta' })).toContainText('50.0 % (1/2)');
  await page.getByRole('tab', { name: 'Item' }).click();

  // Review the result of the second video (Alpha/clip.mp4): the filter lists it by its path.
  await page.getByRole('combobox', { name: 'Filter by video' }).selectOption({ label: 'Alpha/clip.mp4 (1)' });
  const list = page.getByRole('listbox', { name: 'Results' });
  await expect(list.getByRole('option')).toHaveCount(1);
  await list.getByRole('option').first().click();
  const itemView = page.getByRole('region', { name: 'Item under review' });
  await expect(itemView).toContainText('How many white squares');
  await expect(itemView).toContainText('Alpha/clip.mp4 · Alpha');
  // Its video opened at the item's frame: the stage shows frame 20 of Alpha/clip.mp4 (dark blue).
  await expect.poll(() => readFrameCode(page), { timeout: 30_000 }).toBe(20);
  const background = await frameColorAt(page, 60, 300);
  expect(background!.every((v, i) => Math.abs(v - [0x10, 0x20, 0x40][i]!) <= 24)).toBe(true);
  // With its visual prompt: the dataset's image of it, its yellow marker at (604, 324).
  const marker = await itemView.getByRole('img', { name: 'Visual prompt frame' }).evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    return [...ctx.getImageData(Math.round((604 * img.naturalWidth) / 640), Math.round((324 * img.naturalHeight) / 360), 1, 1).data.slice(0, 3)];
  });
  expect(marker[0]).toBeGreaterThan(200);
  expect(marker[1]).toBeGreaterThan(200);
  expect(marker[2]).toBeLessThan(80);
});

test('a results file that cannot be written any more: the run goes on, every result stays in the project, the review names the file; reopened, it gets them all', async ({ page }) => {
  test.setTimeout(240_000);
  // Slow enough that the file is taken away while items are still to come.
  fake.setScript('videoseeker', { chunkDelayMs: 60 });
  await configureEndpoint(page, { baseUrl: fake.url });
  await page.goto('./?folders=input&results=opfs&model=off');
  await importDataset(page);
  const name = await runWithFile(page, 1);

  // The first result reaches the file; then the file is deleted (as a user might, or a full disk).
  await expect.poll(async () => linesOf(await fileText(page, name)).length, { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
  await page.evaluate(async (name) => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('results-files');
    await dir.removeEntry(name);
  }, name);

  await expect(progress(page)).toHaveText(/finished · 4 done · 0 failed · 0 left/, { timeout: 120_000 });
  const alert = page.getByRole('alert', { name: 'Results file of the run' });
  await expect(alert).toContainText(`“${name}” could not be written any more:`);
  await expect(alert).toContainText(/The run goes on and every result stays in the project; [1-3] of 4 finished results are in the file\./);
  // Every result is in the project, reviewable.
  await expect(page.getByRole('listbox', { name: 'Results' }).getByRole('option')).toHaveCount(4);

  // Reopened (here: a new file of that name), it gets every result, each once.
  await alert.getByRole('button', { name: 'Reopen results file…' }).click();
  await expect(page.getByRole('status', { name: 'Results file of the run' })).toContainText(`Results file “${name}”: 4 of 4 finished results written.`);
  const lines = linesOf(await fileText(page, name));
  expect(lines).toHaveLength(4);
  expect(lines.map((l) => l.question).sort()).toEqual((await records()).map((r) => r.question).sort());
});
