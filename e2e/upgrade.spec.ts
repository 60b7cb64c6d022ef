/**
 * Issue 14: a project saved by the previous build (IndexedDB schema version 2, one video per
 * project, a version 1 document) opens unchanged in this one.
 *
 * The old database is written with raw IndexedDB in the test's browser context before the app has
 * ever run there (the page first shows the sample video's file, which runs no app code), exactly
 * as that build stored it: the document without its runs, each run in `runs` under
 * [project id, run id], the video as a Blob in `videos`, and `lastOpened`. The data below is a
 * frozen literal of that format (see `git show d81e28a:src/core/project/document.ts`), not built
 * from today's types, so a change of today's format cannot quietly change what is "old" here.
 * Only the masks come from the app's RLE helpers: COCO RLE has not changed and cannot.
 */
import { readFile } from 'node:fs/promises';
import { encodeRle, maskFromPredicate, rleArea, type Rle } from '../src/core/mask/rle';
import { expect, test, type Page } from './test';
import { expectFrame, fixture, goTo, maskAlphaAt, waitForVideo } from './helpers';

const VIDEO = 'frames-h264.mp4';
const WIDTH = 640;
const HEIGHT = 360;
const PROJECT_ID = '3f0c9a52-7d4e-4b1a-9c66-2e8d5b7a1f04';

interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}
/** The boxes prompted on frame 5, and where the car was propagated to on frame 6. */
const CAR: Box = { x0: 80, y0: 120, x1: 240, y1: 280 };
const BIKE: Box = { x0: 400, y0: 100, x1: 560, y1: 300 };
const CAR_ON_6: Box = { x0: 120, y0: 120, x1: 280, y1: 280 };

/** The box's inside as a 640x360 mask (COCO RLE, column-major), as SAM would have given it. */
function boxMask(b: Box): Rle {
  return encodeRle(maskFromPredicate(WIDTH, HEIGHT, (x, y) => x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1));
}

/** `text` as a regular expression that matches it literally. */
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const centre = (b: Box): { x: number; y: number } => ({ x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 });

const SENT_QUESTION = 'Which way does the target in the red box drive?';

/** The previous build's version 1 document (runs are kept apart in schema version 2). */
function oldDocument(byteLength: number): unknown {
  return {
    version: 1,
    video: { name: VIDEO, byteLength, width: WIDTH, height: HEIGHT, frameCount: 90, fps: 30, durationS: 3, stored: true },
    instances: [
      { id: 'car', name: 'Red car', color: '#ff3b30', visible: true },
      { id: 'bike', name: 'Green bike', color: '#34c759', visible: true },
    ],
    activeId: 'car',
    frames: {
      'car@5': { prompts: [{ kind: 'box', ...CAR }], mask: { rle: boxMask(CAR), score: 0.93 } },
      'bike@5': { prompts: [{ kind: 'box', ...BIKE }], mask: { rle: boxMask(BIKE), score: 0.88 } },
    },
    queries: [
      {
        id: 'q-1',
        createdAt: 1_700_000_000_000,
        instanceId: 'car',
        instanceName: 'Red car',
        question: 'Which way does <vp> drive?',
        options: ['Left', 'Right'],
        sentQuestion: SENT_QUESTION,
        visualPrompt: { type: 'rectangle', frame: 5, colour: '#ff2d2d' },
        settings: {
          baseUrl: 'http://localhost:8000/v1',
          model: '',
          mode: 'tool',
          tools: { viewVisualPrompt: true, cropVideo: true },
          sampling: { fps: 1, maxFrames: 64, minPixels: 784, maxPixels: 200704, factor: 28 },
          imageFormat: 'jpeg',
          jpegQuality: 0.9,
          crop: { fps: 1, minFrames: 4, maxFrames: 64, maxPixels: 112896 },
          maxToolRounds: 5,
          maxTokens: 8192,
          temperature: 0,
          timeoutS: 120,
          stream: true,
        },
        model: 'videoseeker-8b',
        group: null,
        trajectory: {
          status: 'done',
          userText: 'You are a helpful assistant...',
          frames: [{ source: 'frame', index: 0, timeS: 0, width: 588, height: 336, bytes: 20_000 }],
          rounds: [
            {
              index: 0,
              startedAt: 1_700_000_000_100,
              requestBytes: 1_000_000,
              firstTokenMs: 300,
              latencyMs: 900,
              content: '<think>It drives to the left.</think><answer>A</answer>',
              reasoning: '',
              toolCalls: [],
              finishReason: 'stop',
              usage: { prompt_tokens: 5000, completion_tokens: 40, total_tokens: 5040 },
              retries: [],
              failure: null,
            },
          ],
          answer: 'A',
          response: '<think>It drives to the left.</think><answer>A</answer>',
          format: { ok: true, reason: 'Well formed' },
          problems: [],
          startedAt: 1_700_000_000_000,
          finishedAt: 1_700_000_001_000,
          usage: { prompt_tokens: 5000, completion_tokens: 40, total_tokens: 5040 },
        },
      },
    ],
    masklets: { car: { 6: { rle: boxMask(CAR_ON_6), score: 0.9, confidence: 0.85, state: 'tracked', anchor: 5 } } },
    qaItems: [
      {
        id: 'qa-1',
        instanceId: 'car',
        videoId: 'frames-h264',
        frame: 5,
        vpType: 'rectangle',
        colour: '#ff0000',
        question: 'What colour is <vp>?',
        options: ['Red', 'Green', 'Blue', 'Black'],
        answer: 'A',
        dimension: 1,
        category: 2,
        source: 'Studio',
        notes: '',
        createdAt: 1_700_000_002_000,
        resultQueryId: 'q-1',
        videoPath: null,
        framePath: null,
        duration: null,
      },
    ],
    // The model answered B (wrong); a person judged it correct, which is what the review shows.
    judgements: { 'run-1': { 'line-1': { value: 1, note: 'Dark red counts', at: 1_700_000_004_000 } } },
  };
}

const OLD_RUN = {
  id: 'run-1',
  name: 'street-results.jsonl',
  kind: 'import',
  createdAt: 1_700_000_003_000,
  model: 'videoseeker-8b',
  settings: null,
  fileName: 'street-results.jsonl',
  concurrency: 1,
  state: 'imported',
  activeMs: 0,
  resumedAt: null,
  results: [
    {
      key: 'line-1',
      itemId: 'qa-1',
      item: {
        videoId: 'frames-h264',
        question: 'What colour is the target in the red box?',
        options: ['Red', 'Green', 'Blue', 'Black'],
        answer: 'A',
        dimension: 1,
        category: 2,
        duration: 3,
        source: 'Studio',
        vpType: 'rectangle',
        videoPath: VIDEO,
        framePath: null,
      },
      status: 'done',
      response: '<answer>B</answer>',
      rawOutput: '<answer>B</answer>',
      userText: null,
      toolCalls: [],
      numRounds: 1,
      error: null,
      model: null,
      autoJudgement: null,
      query: null,
    },
  ],
  report: null,
};

/**
 * Writes the version 2 database as the previous build left it. Returns the version the database
 * had before (0: it did not exist, so the app had not opened it in this context).
 */
async function writeOldDatabase(page: Page): Promise<number> {
  const bytes = await readFile(fixture(VIDEO));
  const project = { id: PROJECT_ID, name: 'Old street', createdAt: 1_699_999_000_000, updatedAt: 1_700_000_004_000, videoName: VIDEO };
  return page.evaluate(
    async ({ project, document, run, videoBase64 }) => {
      let before = -1;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('videoseeker-studio', 2);
        request.onupgradeneeded = (event) => {
          before = event.oldVersion;
          const d = request.result;
          d.createObjectStore('projects', { keyPath: 'id' });
          d.createObjectStore('documents');
          d.createObjectStore('videos');
          d.createObjectStore('settings');
          d.createObjectStore('runs');
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('indexedDB.open failed'));
      });
      const video = new Blob([Uint8Array.from(atob(videoBase64), (c) => c.charCodeAt(0))], { type: 'video/mp4' });
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction(['projects', 'documents', 'runs', 'videos', 'settings'], 'readwrite');
        tx.objectStore('projects').put(project);
        tx.objectStore('documents').put(document, project.id);
        tx.objectStore('runs').put(run, [project.id, run.id]);
        tx.objectStore('videos').put({ blob: video, name: project.videoName }, project.id);
        tx.objectStore('settings').put(project.id, 'lastOpened');
        tx.oncomplete = () => resolve();
        tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
      });
      db.close();
      return before;
    },
    { project, document: oldDocument(bytes.byteLength), run: OLD_RUN, videoBase64: bytes.toString('base64') },
  );
}

/** The colour the mask layer paints at a frame pixel (unpremultiplied RGB). */
async function maskColourAt(page: Page, x: number, y: number): Promise<[number, number, number]> {
  return page.evaluate(
    ({ x, y }) => {
      type Layer = { name(): string; getNativeCanvasElement(): HTMLCanvasElement; getCanvas(): { getPixelRatio(): number } };
      const konva = (window as unknown as { Konva: { stages: { getLayers(): Layer[]; x(): number; y(): number; scaleX(): number }[] } }).Konva;
      const s = konva.stages[0]!;
      const layer = s.getLayers().find((l) => l.name() === 'masks')!;
      const ratio = layer.getCanvas().getPixelRatio();
      const d = layer.getNativeCanvasElement().getContext('2d', { willReadFrequently: true })!.getImageData(Math.round((s.x() + x * s.scaleX()) * ratio), Math.round((s.y() + y * s.scaleX()) * ratio), 1, 1).data;
      return [d[0]!, d[1]!, d[2]!] as [number, number, number];
    },
    { x, y },
  );
}

const isRed = ([r, g, b]: readonly number[]): boolean => r! > 200 && g! < 110 && b! < 110;
const isGreen = ([r, g, b]: readonly number[]): boolean => g! > 150 && r! < 110 && b! < 150;

/** Everything the old project held, as a user sees it; `car` is the first object's name now. */
async function expectOldProject(page: Page, car: string): Promise<void> {
  await expect(page.getByRole('button', { name: 'Projects' })).toHaveText('Old street');
  await waitForVideo(page, VIDEO);

  const objects = page.getByRole('region', { name: 'Objects' });
  await expect(objects.getByRole('listitem')).toHaveText([new RegExp(`^${literal(car)}`), /^Green bike/]);

  // Frame 5: both masks where their boxes were, each in its object's colour, nothing between.
  await goTo(page, '#5');
  await expectFrame(page, 5);
  await expect(objects.getByLabel(`${car} on this frame`)).toHaveText(`${rleArea(boxMask(CAR))} px · IoU est. 0.93`);
  await expect(objects.getByLabel('Green bike on this frame')).toHaveText(`${rleArea(boxMask(BIKE))} px · IoU est. 0.88`);
  const car5 = centre(CAR);
  const bike5 = centre(BIKE);
  await expect.poll(() => maskAlphaAt(page, car5.x, car5.y), { message: 'the car’s mask on frame 5' }).toBeGreaterThan(0);
  await expect.poll(() => maskAlphaAt(page, bike5.x, bike5.y), { message: 'the bike’s mask on frame 5' }).toBeGreaterThan(0);
  expect(isRed(await maskColourAt(page, car5.x, car5.y)), 'the car’s mask is red').toBe(true);
  expect(isGreen(await maskColourAt(page, bike5.x, bike5.y)), 'the bike’s mask is green').toBe(true);
  expect(await maskAlphaAt(page, 320, 200), 'between the boxes').toBe(0);
  expect(await maskAlphaAt(page, CAR.x0 + 10, CAR.y0 - 20), 'above the car').toBe(0);
  expect(await maskAlphaAt(page, CAR_ON_6.x1 - 10, 200), 'right of the car on frame 5').toBe(0);

  // Frame 6: the car's propagated mask (moved right), no bike.
  await goTo(page, '#6');
  await expectFrame(page, 6);
  await expect(objects.getByLabel(`${car} on this frame`)).toHaveText(`propagated · ${rleArea(boxMask(CAR_ON_6))} px · confidence 0.85`);
  await expect.poll(() => maskAlphaAt(page, CAR_ON_6.x1 - 10, 200), { message: 'the car’s propagated mask on frame 6' }).toBeGreaterThan(0);
  expect(await maskAlphaAt(page, CAR.x0 + 10, 200), 'where the car was on frame 5').toBe(0);
  expect(await maskAlphaAt(page, bike5.x, bike5.y), 'the bike has no mask on frame 6').toBe(0);

  // Videos: the one video, its file read from this browser (the old Blob).
  await page.getByRole('tab', { name: 'Videos' }).click();
  const videoRows = page.getByRole('table', { name: 'Project videos' }).locator('tbody tr:not([aria-hidden])');
  await expect(videoRows).toHaveCount(1);
  const cells = videoRows.first().getByRole('cell');
  await expect(cells.nth(0)).toHaveText(`${VIDEO} · 640×360`);
  await expect(videoRows.first()).toHaveAttribute('aria-current', 'true');
  // Objects, QA items, results of the video.
  await expect(cells.nth(2)).toHaveText('2');
  await expect(cells.nth(3)).toHaveText('1');
  await expect(cells.nth(4)).toHaveText('1');
  await expect(cells.nth(5)).toHaveText('In browser');
  await expect(cells.nth(5)).toHaveAttribute('title', 'Stored in this browser');

  // The QA item, still about the car on frame 5.
  await page.getByRole('tab', { name: 'QA dataset' }).click();
  const qaRows = page.getByRole('table', { name: 'QA items' }).locator('tbody tr:not([aria-hidden])');
  await expect(qaRows).toHaveCount(1);
  const qa = qaRows.first().getByRole('cell');
  // The object, with its video under it; the frame; the question.
  await expect(qa.nth(1)).toHaveText(`${car}${VIDEO}`);
  await expect(qa.nth(2)).toHaveText('5');
  await expect(qa.nth(4)).toContainText(/^What colour is \[.+\]\? · 4 options · answer A$/);

  // The saved query with its answer.
  await page.getByRole('tab', { name: 'Ask' }).click();
  const history = page.getByRole('region', { name: 'Query history' });
  await expect(history.getByRole('button')).toHaveText([new RegExp(`^${literal(SENT_QUESTION)}.*Red car.*→ A$`)]);

  // The review: the run, its result judged correct by a person (the model said B).
  const workspace = page.getByRole('navigation', { name: 'Workspace' });
  await workspace.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByRole('combobox', { name: 'Run' }).locator('option:checked')).toHaveText('street-results.jsonl (imported, 1 results)');
  const results = page.getByRole('listbox', { name: 'Results' });
  // The linked item's question, its answer A, the model's B marked correct (✓) by the judgement.
  await expect(results.getByRole('option')).toHaveText([/What colour is .+\?GT A✓ B/]);
  await results.getByRole('option', { name: 'Result 1: correct, judged' }).click();
  await expect(page.getByRole('group', { name: 'Your judgement' }).getByRole('button', { name: /^Correct/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('textbox', { name: 'Note' })).toHaveValue('Dark red counts');
  await workspace.getByRole('button', { name: 'Annotate' }).click();
}

test('a project saved by the previous build (schema v2, one video) opens unchanged, and keeps an edit and its old data after a reload', async ({ page }) => {
  test.setTimeout(120_000);
  // A static file of the app's origin: no app code runs before the old database is there.
  await page.goto('./samples/vtest.webm');
  expect(await writeOldDatabase(page), 'the database existed before the test wrote it').toBe(0);

  await page.goto('./?sample=0&model=off');
  await expectOldProject(page, 'Red car');

  await page.getByRole('button', { name: 'Rename Red car' }).click();
  await page.getByRole('textbox', { name: 'Name of Red car' }).fill('Red van');
  await page.keyboard.press('Enter');
  // The new name is in the store (its save is scheduled) before "Saved" can mean it.
  await expect(page.getByRole('region', { name: 'Objects' }).getByRole('button', { name: /^Red van/ })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('Saved');

  await page.reload();
  await expectOldProject(page, 'Red van');
});
