/** QA dataset: annotate items, export the ZIP, clear, import it back identical; import a V2P-Bench file with a missing video. */
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { expect, test, type Page } from './test';
import { decode as decodePng, encode as encodePng } from 'fast-png';
import { unzipSync, zipSync, strToU8 } from 'fflate';
import jpeg from 'jpeg-js';
import { boxPerson, PERSON_BOX } from './askHelpers';
import { maskAlphaAt } from './helpers';

async function qaRows(page: Page): Promise<string[]> {
  return page.getByRole('table', { name: 'QA items' }).locator('tbody tr').allInnerTexts();
}

/**
 * A COCO RLE `counts` string (pycocotools' compressed form) as a mask, one byte per pixel in
 * column-major order: written here from pycocotools' rleFrString, not taken from the app.
 */
function decodeCocoRle(counts: string, height: number, width: number): Uint8Array {
  const runs: number[] = [];
  for (let p = 0; p < counts.length; ) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      const c = counts.charCodeAt(p++) - 48;
      x |= (c & 0x1f) << (5 * k++);
      more = (c & 0x20) !== 0;
      if (!more && (c & 0x10) !== 0) x |= -1 << (5 * k);
    }
    if (runs.length > 2) x += runs[runs.length - 2]!;
    runs.push(x);
  }
  const mask = new Uint8Array(height * width);
  let at = 0;
  runs.forEach((run, i) => {
    if (i % 2 === 1) mask.fill(1, at, at + run);
    at += run;
  });
  expect(at, 'the RLE covers the frame').toBe(height * width);
  return mask;
}

/** [x0, y0, x1, y1] (inclusive) of the set pixels of a column-major mask. */
function maskBounds(mask: Uint8Array, height: number, width: number): [number, number, number, number] {
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      if (!mask[x * height + y]) continue;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  return [x0, y0, x1, y1];
}

/**
 * Share of the scan lines across each side of the box [x0, y0, x1, y1] (through its middle half,
 * from 3 px inside to 20 px outside) that cross a pixel of the prompt's red (#ff2d2d, after JPEG).
 */
function redFrameAround(image: { width: number; data: Uint8Array }, [x0, y0, x1, y1]: readonly number[]): number {
  const red = (x: number, y: number): boolean => {
    const i = (y * image.width + x) * 4;
    return image.data[i]! > 170 && image.data[i + 1]! < 90 && image.data[i + 2]! < 90;
  };
  const [w, h] = [x1! - x0!, y1! - y0!];
  let lines = 0;
  let hits = 0;
  const scan = (points: (t: number) => [number, number], ts: number[]): void => {
    lines++;
    if (ts.some((t) => red(...points(t)))) hits++;
  };
  const outward = Array.from({ length: 24 }, (_, i) => i - 3);
  for (let y = Math.round(y0! + h / 4); y <= y0! + (3 * h) / 4; y += 2) {
    scan((t) => [x0! - t, y], outward);
    scan((t) => [x1! + t, y], outward);
  }
  for (let x = Math.round(x0! + w / 4); x <= x0! + (3 * w) / 4; x += 2) {
    scan((t) => [x, y0! - t], outward);
    scan((t) => [x, y1! + t], outward);
  }
  return hits / lines;
}

test('two QA items on the sample: export, clear the project, import: identical', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('./?save=download');
  await boxPerson(page);

  // Two keystrokes: Q makes the item (for the active object, on this frame) and the question is focused.
  await page.keyboard.press('q');
  const qa = page.getByRole('region', { name: 'QA dataset' });
  const editor = qa.getByRole('form', { name: 'QA item' });
  await expect(editor.getByRole('textbox', { name: 'QA question' })).toBeFocused();
  await page.keyboard.type('What is <vp> wearing?');
  await editor.getByRole('checkbox', { name: 'Multiple choice (A–D)' }).check();
  await editor.getByRole('textbox', { name: 'QA option A' }).fill('A dark jacket');
  await editor.getByRole('textbox', { name: 'QA option B' }).fill('A red dress');
  await editor.getByRole('combobox', { name: 'Answer' }).selectOption('A');
  await editor.getByRole('combobox', { name: 'Dimension' }).selectOption('2');
  await expect(editor.getByRole('list', { name: 'Problems' })).toHaveCount(0);

  // A second, open-ended one; duplicate and delete are undoable.
  await qa.getByRole('button', { name: /^New QA item/ }).click();
  await editor.getByRole('textbox', { name: 'QA question' }).fill('Where does <vp> walk to?');
  await editor.getByRole('textbox', { name: 'Answer' }).fill('To the lamp post');
  await editor.getByRole('combobox', { name: 'Dimension' }).selectOption('9');
  await editor.getByRole('button', { name: 'Duplicate' }).click();
  await expect(qa.getByRole('table', { name: 'QA items' }).locator('tbody tr')).toHaveCount(3);
  await qa.getByRole('button', { name: 'Undo QA edit' }).click();
  await expect(qa.getByRole('table', { name: 'QA items' }).locator('tbody tr')).toHaveCount(2);

  // Search and sort.
  await qa.getByRole('searchbox', { name: 'Search QA items' }).fill('jacket');
  await expect(qa.getByRole('table', { name: 'QA items' }).locator('tbody tr')).toHaveCount(1);
  await qa.getByRole('searchbox', { name: 'Search QA items' }).fill('');
  await qa.getByRole('button', { name: 'Dimension' }).click();
  const before = await qaRows(page);
  expect(before).toHaveLength(2);

  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('Saved');
  const downloading = page.waitForEvent('download');
  await qa.getByRole('button', { name: 'Export dataset (ZIP)' }).click();
  const download = await downloading;
  const zipPath = test.info().outputPath('export.zip');
  await download.saveAs(zipPath);
  await expect(qa.getByRole('status')).toContainText('Exported 2 QA items');

  // The archive has the benchmark's layout and fields.
  const files = unzipSync(new Uint8Array(await readFile(zipPath)));
  const names = Object.keys(files);
  expect(names).toEqual(expect.arrayContaining(['studio.json', 'dataset_info.json', 'masks/coco.json', 'videos/vtest.webm']));
  expect(names.filter((n) => n.startsWith('frames/vtest/') && n.endsWith('.jpg'))).toHaveLength(2);
  expect(names.some((n) => n.startsWith('masks/davis/vtest/'))).toBe(true);
  const records = JSON.parse(new TextDecoder().decode(files['dataset_info.json'])) as Record<string, unknown>[];
  expect(Object.keys(records[0]!).sort()).toEqual(['answer', 'category', 'dimension', 'duration', 'frame_path', 'question', 'source', 'video_id', 'video_path']);
  // The records: `<vp>` phrased for the rectangle prompt, options folded in, answers, the video's path and length.
  expect(records).toEqual([
    {
      video_id: 'vtest',
      video_path: 'vtest.webm',
      duration: 79.5,
      question: 'What is the target in the highlighted box wearing?\nA: A dark jacket\nB: A red dress\nSelect the best option that accurately addresses the question. Give only your option letter, no other words.',
      answer: 'A',
      source: '',
      frame_path: expect.stringMatching(/^vtest\/0001_.+\.jpg$/),
      dimension: 2,
      category: 0,
    },
    { video_id: 'vtest', video_path: 'vtest.webm', duration: 79.5, question: 'Where does the target in the highlighted box walk to?', answer: 'To the lamp post', source: '', frame_path: expect.stringMatching(/^vtest\/0002_.+\.jpg$/), dimension: 9, category: 0 },
  ]);

  // masks/coco.json: frame 0's RLE is the object's mask, as large as the app says, inside the box drawn.
  const area = Number(/(\d+) px/.exec((await page.getByRole('region', { name: 'Objects' }).getByLabel('Object 1 on this frame').textContent()) ?? '')?.[1]);
  const coco = JSON.parse(new TextDecoder().decode(files['masks/coco.json'])) as { videos: { width: number; height: number }[]; annotations: { segmentations: ({ size: [number, number]; counts: string } | null)[] }[] };
  const { width, height } = coco.videos[0]!;
  expect([width, height]).toEqual([768, 576]);
  const rle = coco.annotations[0]!.segmentations[0]!;
  expect(rle.size).toEqual([height, width]);
  const mask = decodeCocoRle(rle.counts, height, width);
  expect(mask.reduce((n, v) => n + v, 0)).toBe(area);
  const bounds = maskBounds(mask, height, width);
  expect(bounds[0]).toBeGreaterThanOrEqual(PERSON_BOX.x0 - 4);
  expect(bounds[1]).toBeGreaterThanOrEqual(PERSON_BOX.y0 - 4);
  expect(bounds[2]).toBeLessThanOrEqual(PERSON_BOX.x1 + 4);
  expect(bounds[3]).toBeLessThanOrEqual(PERSON_BOX.y1 + 4);
  expect((bounds[2] - bounds[0]) * (bounds[3] - bounds[1])).toBeGreaterThan(0.3 * (PERSON_BOX.x1 - PERSON_BOX.x0) * (PERSON_BOX.y1 - PERSON_BOX.y0));

  // The DAVIS PNG of frame 0: instance value 1 exactly where that mask is, 0 elsewhere.
  const davis = decodePng(files['masks/davis/vtest/00000.png']!);
  expect([davis.width, davis.height, davis.channels]).toEqual([width, height, 1]);
  let differ = 0;
  for (let x = 0; x < width; x++) for (let y = 0; y < height; y++) if (davis.data[y * width + x] !== mask[x * height + y]) differ++;
  expect(differ, 'DAVIS pixels that disagree with the COCO mask').toBe(0);

  // Each item's frame shows the rectangle prompt drawn in red around the object, and not elsewhere.
  for (const record of records) {
    const image = jpeg.decode(files[`frames/${record.frame_path as string}`]!, { useTArray: true });
    expect([image.width, image.height]).toEqual([width, height]);
    expect(redFrameAround(image, bounds), `red around the object in ${record.frame_path as string}`).toBeGreaterThan(0.9);
    expect(redFrameAround(image, [bounds[0] + 200, bounds[1], bounds[2] + 200, bounds[3]]), 'red 200 px to the right').toBeLessThan(0.1);
  }
  const studio = JSON.parse(new TextDecoder().decode(files['studio.json'])) as unknown;

  // Clear: delete the project (the sample comes back in a new one).
  await page.getByRole('button', { name: 'Projects' }).click();
  const projects = page.getByRole('dialog', { name: 'Projects' });
  page.once('dialog', (d) => void d.accept());
  await projects.getByRole('button', { name: /^Delete / }).first().click();
  await projects.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('tab', { name: 'QA dataset' }).click();
  await expect(qa.getByRole('table', { name: 'QA items' }).locator('tbody tr')).toHaveCount(0);

  await qa.getByLabel('Import dataset file').setInputFiles(zipPath);
  await expect(qa.getByRole('status')).toContainText(/Restored .*2 QA items/, { timeout: 60_000 });
  await page.getByRole('tab', { name: 'QA dataset' }).click();
  // Same items, same fields (the table keeps its sort across projects).
  expect((await qaRows(page)).sort()).toEqual([...before].sort());
  await expect(page.getByRole('region', { name: 'Objects' }).getByRole('button', { name: /^Object 1/ })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Video details' })).toContainText('vtest.webm');

  // studio.json round-trips: the restored project exports the same studio.json.
  const again = page.waitForEvent('download');
  await qa.getByRole('button', { name: 'Export dataset (ZIP)' }).click();
  const second = unzipSync(new Uint8Array(await readFile(await (await again).path())));
  expect(JSON.parse(new TextDecoder().decode(second['studio.json'])) as unknown).toEqual(studio);
});

test('a V2P-Bench file with one missing video: items listed, the missing video reported; bad files change nothing', async ({ page }) => {
  await page.goto('./?model=off');
  await expect(page.getByRole('complementary', { name: 'Video details' })).toContainText('vtest.webm');
  await page.getByRole('tab', { name: 'QA dataset' }).click();
  const qa = page.getByRole('region', { name: 'QA dataset' });
  const mc = 'Select the best option that accurately addresses the question. Give only your option letter, no other words.';
  const dataset = [
    { video_id: 'street_1', video_path: 'Street/street_1.mp4', duration: 79.5, question: `What is the target in the highlighted box holding?\nA: A bag\nB: A phone\nC: Nothing\nD: A cup\n${mc}`, answer: 'C', source: 'Street', frame_path: 'Street/street_1.jpg', dimension: 1, category: 2 },
    { video_id: 'street_2', video_path: 'Street/street_2.mp4', duration: 12, question: 'Where does the target marked by the point go?', answer: 'Left', source: 'Street', frame_path: 'Street/street_2.jpg', dimension: 9, category: 1 },
  ];
  const zipPath = test.info().outputPath('v2p.zip');
  await writeFile(
    zipPath,
    zipSync({ 'dataset_info.json': strToU8(JSON.stringify(dataset)), 'videos/Street/street_1.mp4': new Uint8Array(16), 'frames/Street/street_1.jpg': new Uint8Array(8) }),
  );
  await qa.getByLabel('Import dataset file').setInputFiles(zipPath);
  await expect(qa.getByRole('status')).toContainText('Imported 2 QA items');
  await expect(qa.getByRole('status')).toContainText('Videos: 1 of 2 found; missing: Street/street_2.mp4');
  await expect(qa.getByRole('table', { name: 'QA items' }).locator('tbody tr')).toHaveCount(2);
  await expect(qa.getByRole('table', { name: 'QA items' })).toContainText('What is the target in the highlighted box holding?');

  // Malformed files: a clear message naming the problem, and the items stay as they were.
  const bad: [string, Uint8Array][] = [
    ['broken.json', strToU8('[{"video_id": ')],
    ['types.zip', zipSync({ 'dataset_info.json': strToU8(JSON.stringify([{ ...dataset[0], duration: 'long' }])) })],
    ['evil.zip', zipSync({ '../evil/dataset_info.json': strToU8('[]') })],
    ['dupes.zip', zipSync({ 'dataset_info.json': strToU8(JSON.stringify([dataset[0], dataset[0]])) })],
  ];
  const messages = [/not valid JSON/, /record 0 .*"duration"/, /\.\./, /duplicate|same/i];
  for (let i = 0; i < bad.length; i++) {
    const [name, bytes] = bad[i]!;
    const path = test.info().outputPath(name);
    await writeFile(path, bytes);
    await qa.getByLabel('Import dataset file').setInputFiles(path);
    await expect(qa.getByRole('alert'), name).toContainText(messages[i]!);
    await expect(qa.getByRole('table', { name: 'QA items' }).locator('tbody tr')).toHaveCount(2);
  }
});

test('DAVIS-style mask PNGs for the open video become objects with their masks', async ({ page }) => {
  await page.goto('./?model=off');
  await expect(page.getByRole('complementary', { name: 'Video details' })).toContainText('vtest.webm');
  await page.getByRole('tab', { name: 'QA dataset' }).click();
  const qa = page.getByRole('region', { name: 'QA dataset' });
  const png = (boxes: [number, number, number, number, number][]): Uint8Array => {
    const index = new Uint8Array(768 * 576);
    for (const [label, x0, y0, x1, y1] of boxes) for (let y = y0; y < y1; y++) index.fill(label, y * 768 + x0, y * 768 + x1);
    return encodePng({ width: 768, height: 576, data: index, depth: 8, channels: 1, palette: [[0, 0, 0], [128, 0, 0], [0, 128, 0]] });
  };
  const zipPath = test.info().outputPath('davis.zip');
  await writeFile(zipPath, zipSync({ 'vtest/00000.png': png([[1, 240, 220, 290, 320], [2, 600, 240, 640, 300]]), 'vtest/00005.png': png([[1, 245, 220, 295, 320]]) }));
  await qa.getByLabel('Import dataset file').setInputFiles(zipPath);
  await expect(qa.getByRole('status')).toContainText('Imported 2 objects from 2 mask PNGs');
  const objects = page.getByRole('region', { name: 'Objects' });
  await expect(objects.getByLabel('DAVIS object 1 on this frame')).toContainText('5000 px');
  await expect(objects.getByLabel('DAVIS object 2 on this frame')).toContainText('2400 px');
});

/**
 * A column-major mask's runs as a COCO RLE `counts` string: written here from pycocotools'
 * rleToString, not taken from the app.
 */
function encodeCocoRle(mask: Uint8Array): string {
  const runs: number[] = [];
  let value = 0;
  let run = 0;
  for (const v of mask) {
    if (v !== value) {
      runs.push(run);
      run = 0;
      value = v;
    }
    run++;
  }
  runs.push(run);
  let s = '';
  runs.forEach((count, i) => {
    let x = i > 2 ? count - runs[i - 2]! : count;
    for (let more = true; more; ) {
      let c = x & 0x1f;
      x >>= 5;
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      s += String.fromCharCode(c + 48);
    }
  });
  return s;
}

test('COCO / YouTube-VIS masks for the open video are painted where they say; a file without it changes nothing', async ({ page }) => {
  await page.goto('./?model=off');
  await expect(page.getByRole('complementary', { name: 'Video details' })).toContainText('vtest.webm');
  await page.getByRole('tab', { name: 'QA dataset' }).click();
  const qa = page.getByRole('region', { name: 'QA dataset' });
  const [width, height, length] = [768, 576, 10];
  /** A column-major RLE of the rectangle [x0, x1) × [y0, y1) of the frame. */
  const rle = (x0: number, y0: number, x1: number, y1: number) => {
    const mask = new Uint8Array(width * height);
    for (let x = x0; x < x1; x++) mask.fill(1, x * height + y0, x * height + y1);
    return { size: [height, width], counts: encodeCocoRle(mask) };
  };
  const ytvis = (names: string[]) => ({
    videos: names.map((name, k) => ({ id: k + 1, width, height, length, file_names: Array.from({ length }, (_, f) => `${name}/${String(f).padStart(5, '0')}.jpg`) })),
    categories: [{ id: 1, name: 'person' }, { id: 2, name: 'car' }],
    annotations: names.flatMap((_, k) => [
      { id: 2 * k + 1, video_id: k + 1, category_id: 1, segmentations: Array.from({ length }, (_, f) => (f === 0 ? rle(240, 220, 290, 320) : null)) },
      { id: 2 * k + 2, video_id: k + 1, category_id: 2, segmentations: Array.from({ length }, (_, f) => (f === 0 ? rle(600, 240, 640, 300) : f === 4 ? rle(590, 240, 630, 300) : null)) },
    ]),
  });
  const input = qa.getByLabel('Import COCO / YouTube-VIS masks');
  const objects = page.getByRole('region', { name: 'Objects' });

  // A file of other videos: it says which it has, and nothing is added.
  await input.setInputFiles({ name: 'others.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(ytvis(['bear', 'dog']))) });
  await expect(qa.getByRole('alert')).toContainText('none of the file\'s 2 videos is named "vtest"; it has "bear", "dog"');
  await expect(objects.getByRole('button', { name: /^COCO / })).toHaveCount(0);
  expect(await maskAlphaAt(page, 265, 270)).toBe(0);

  // The app's own layout: vtest among others; its two tracks become objects, painted on frame 0; the other video is named.
  await input.setInputFiles({ name: 'coco.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(ytvis(['bear', 'vtest']))) });
  await expect(qa.getByRole('status')).toHaveText('Imported 2 objects with 3 masks from coco.json. Not in this project: "bear".');
  await expect(objects.getByLabel('COCO person 3 on this frame')).toContainText('5000 px');
  await expect(objects.getByLabel('COCO car 4 on this frame')).toContainText('2400 px');
  expect(await maskAlphaAt(page, 265, 270), 'inside the person').toBeGreaterThan(0);
  expect(await maskAlphaAt(page, 620, 270), 'inside the car').toBeGreaterThan(0);
  expect(await maskAlphaAt(page, 265, 360), 'below the person').toBe(0);
  expect(await maskAlphaAt(page, 400, 270), 'between them').toBe(0);
  expect(await maskAlphaAt(page, 200, 270), 'left of the person').toBe(0);
});

test('a dataset_info.json over the size limit is refused; one with many items asks first: cancel changes nothing, add adds them', async ({ page }) => {
  test.setTimeout(120_000);
  // Every text the import progress shows, as it is drawn (it may come and go within a second).
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __importProgress: string[] }).__importProgress = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[role="status"][aria-label="Import progress"]')?.textContent;
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await page.goto('./?model=off');
  await expect(page.getByRole('complementary', { name: 'Video details' })).toContainText('vtest.webm');
  await page.getByRole('tab', { name: 'QA dataset' }).click();
  const qa = page.getByRole('region', { name: 'QA dataset' });
  const heading = qa.getByRole('heading', { name: /^QA dataset/ });
  const table = qa.getByRole('table', { name: 'QA items' });
  await expect(heading).toHaveText('QA dataset (0)');

  // Over the limit (64 MiB, as for a dataset_info.json in a ZIP): refused before it is read.
  const huge = test.info().outputPath('v2p_bench_all_records.json');
  await writeFile(huge, '');
  await truncate(huge, 70 * 1024 * 1024);
  await qa.getByLabel('Import dataset file').setInputFiles(huge);
  await expect(qa.getByRole('alert')).toHaveText('Nothing was imported: "v2p_bench_all_records.json" is 70 MiB, more than the 64 MiB allowed for a dataset_info.json');
  await expect(heading).toHaveText('QA dataset (0)');
  await expect(table.getByRole('row')).toHaveCount(1);
  await expect(page.getByRole('dialog', { name: 'Import a large dataset' })).toBeHidden();

  // More items than the threshold: the app asks first.
  const count = 5001;
  const records = Array.from({ length: count }, (_, i) => ({
    video_id: `clip_${i % 40}`,
    video_path: `Street/clip_${i % 40}.mp4`,
    duration: 30,
    question: `Where does the target marked by the box go after moment ${i}?`,
    answer: `Item ${i} answer`,
    source: 'Street',
    frame_path: `Street/clip_${i % 40}_${i}.jpg`,
    dimension: 9,
    category: 1,
  }));
  const many = test.info().outputPath('dataset_info.json');
  await writeFile(many, JSON.stringify(records));
  const ask = page.getByRole('dialog', { name: 'Import a large dataset' });
  await qa.getByLabel('Import dataset file').setInputFiles(many);
  await expect(ask).toContainText('dataset_info.json has 5,001 QA items');
  await expect(ask).toContainText('This project has 0');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toBeHidden();
  await expect(qa.getByRole('status')).toContainText('Nothing was imported');
  await expect(heading).toHaveText('QA dataset (0)');
  await expect(table.getByRole('row')).toHaveCount(1);

  await qa.getByLabel('Import dataset file').setInputFiles(many);
  await ask.getByRole('button', { name: 'Add to this project' }).click();
  await expect(qa.getByRole('status')).toContainText(`Imported ${count} QA items from dataset_info.json. Videos: 0 of 40 found; missing: Street/clip_0.mp4, Street/clip_1.mp4, Street/clip_2.mp4, Street/clip_3.mp4, Street/clip_4.mp4 and 35 more.`);
  await expect(heading).toHaveText(`QA dataset (${count})`);
  await expect(table).toHaveAttribute('aria-rowcount', String(count + 1));
  await expect(table.getByRole('row').nth(1)).toContainText('Where does the target marked by the box go after moment 0?');
  // The last item is there too: scrolled to the end, the table shows it, numbered 5001.
  await qa.getByRole('region', { name: 'QA items table' }).evaluate((e) => e.scrollTo({ top: e.scrollHeight }));
  await expect(table.getByRole('row').last()).toContainText('Where does the target marked by the box go after moment 5000?');
  await expect(table.getByRole('row').last().getByRole('cell').first()).toHaveText(String(count));
  // Progress was shown while the file was read and checked.
  const shown = await page.evaluate(() => (window as unknown as { __importProgress: string[] }).__importProgress);
  expect(shown.some((t) => /^Checking records \d+ % \(\d+ of 5001\)$/.test(t)), shown.join(' | ')).toBe(true);
});
