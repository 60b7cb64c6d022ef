/**
 * Reviewing model answers, end to end: five QA items about a person segmented by the real model
 * run through the endpoint test double two at a time; the page is reloaded mid-run and the run
 * resumes where it stopped; two answers are judged by hand; the score table and chart follow;
 * the results exported as JSON Lines and imported again give the same scores.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { expect, test, type Page } from './test';
import { startFakeEndpoint, type FakeEndpoint } from '../testing/fake-endpoint/server';
import { boxPerson, configureEndpoint } from './askHelpers';

let fake: FakeEndpoint;

test.beforeAll(async () => {
  fake = await startFakeEndpoint({ chunkDelayMs: 5 });
});
test.afterAll(async () => {
  await fake.close();
});

/** The test double answers B: items 1, 3 and 5 have B as ground truth, 2 and 4 have A. */
const ANSWERS = ['B', 'A', 'B', 'A', 'B'] as const;

async function makeItems(page: Page): Promise<void> {
  await page.keyboard.press('q');
  const qa = page.getByRole('region', { name: 'QA dataset' });
  const editor = qa.getByRole('form', { name: 'QA item' });
  for (let i = 0; i < ANSWERS.length; i++) {
    if (i > 0) await qa.getByRole('button', { name: /^New QA item/ }).click();
    await editor.getByRole('textbox', { name: 'QA question' }).fill(`Question ${i + 1}: where does <vp> walk?`);
    await editor.getByRole('checkbox', { name: 'Multiple choice (A–D)' }).check();
    await editor.getByRole('textbox', { name: 'QA option A' }).fill('To the left');
    await editor.getByRole('textbox', { name: 'QA option B' }).fill('To the right');
    await editor.getByRole('combobox', { name: 'Answer' }).selectOption(ANSWERS[i]!);
    await editor.getByRole('combobox', { name: 'Dimension' }).selectOption(i < 3 ? '3' : '9');
  }
  await expect(qa.getByRole('table', { name: 'QA items' }).locator('tbody tr')).toHaveCount(5);
  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('Saved');
}

function progress(page: Page) {
  return page.getByRole('region', { name: 'Runs' }).getByLabel('Batch progress').getByRole('status');
}

/** The overall accuracy cell of the score table (column 0: the reviewed run; 1: the compared one). */
function overall(page: Page, column = 0) {
  return page.getByRole('table', { name: 'Score table' }).getByRole('row', { name: 'Overall: All scored items' }).getByRole('cell').nth(column);
}

/** First-round chat requests (no assistant turn yet) the double received since `since`. */
function firstRounds(since: number) {
  return fake.requests().slice(since).filter((r) => r.path.endsWith('/chat/completions') && !r.roles.includes('assistant'));
}

test('a batch of 5 items, 2 at a time: reload mid-run, resume, judge two, scores follow; exported results read back to the same scores', async ({ page }) => {
  test.setTimeout(480_000);
  fake.reset();
  // Slow enough streams that the reload lands while items are in flight.
  fake.setScript('videoseeker', { chunkDelayMs: 40 });
  await configureEndpoint(page, { baseUrl: fake.url });
  await page.goto('./?save=download');
  await boxPerson(page);
  await makeItems(page);

  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await page.getByRole('button', { name: 'Run batch…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run QA items through the model' });
  await expect(dialog.getByRole('spinbutton', { name: 'Items at a time' })).toHaveValue('2');
  await dialog.getByRole('button', { name: 'Run 5 items' }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });

  // Reload as soon as the first item is done and others are still to go.
  await expect(progress(page)).toHaveText(/running · [1-3] done · 0 failed · [2-4] left/, { timeout: 120_000 });
  const doneBefore = Number(/(\d) done/.exec((await progress(page).textContent()) ?? '')![1]);
  await page.reload();
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await expect(progress(page)).toContainText('interrupted');
  const after = (await progress(page).textContent()) ?? '';
  expect(Number(/(\d) done/.exec(after)![1])).toBeGreaterThanOrEqual(doneBefore);
  const requestsBeforeResume = fake.requests().length;
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(progress(page)).toHaveText(/finished · 5 done · 0 failed · 0 left/, { timeout: 180_000 });
  // Only the items not finished before the reload were asked again.
  expect(firstRounds(requestsBeforeResume)).toHaveLength(5 - Number(/(\d) done/.exec(after)![1]));

  // Scores before any judgement: 3 of 5 (the double always answers B).
  await page.getByRole('tab', { name: 'Scores' }).click();
  await expect(overall(page)).toContainText('60.0 % (3/5)');
  await expect(page.getByRole('img', { name: /Accuracy bar chart: All scored items 60\.0 %/ })).toBeVisible();

  // Judge two: item 1 (automatically correct) wrong, item 2 (automatically wrong) partly correct.
  await page.getByRole('tab', { name: 'Item' }).click();
  const list = page.getByRole('listbox', { name: 'Results' });
  await list.getByRole('option', { name: /^Result 1:/ }).click();
  await expect(page.getByRole('region', { name: 'Item under review' })).toContainText('Question 1');
  await page.keyboard.press('3');
  await expect(page.getByRole('group', { name: 'Your judgement' }).getByRole('button', { name: /^Wrong/ })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('j');
  await expect(page.getByRole('region', { name: 'Item under review' })).toContainText('Question 2');
  await page.keyboard.press('2');
  await page.getByRole('textbox', { name: 'Note' }).fill('Right side, wrong reason');
  await expect(list.getByRole('option', { name: /judged/ })).toHaveCount(2);
  // The trajectory of a batch item is the same view as a live query.
  await expect(page.getByRole('region', { name: 'Model answer' }).getByRole('region', { name: 'Trajectory' })).toContainText('Done');

  await page.getByRole('tab', { name: 'Scores' }).click();
  await expect(overall(page)).toContainText('50.0 % (2.5/5)');
  await expect(overall(page).getByLabel('includes 2 human judgements')).toBeVisible();
  await expect(page.getByRole('img', { name: /Accuracy bar chart: All scored items 50\.0 %/ })).toBeVisible();

  // Export the results, import them back as a run of their own: the same scores.
  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('Saved');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export results' }).click();
  const download = await downloading;
  const path = test.info().outputPath('results.jsonl');
  await download.saveAs(path);
  const lines = (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines).toHaveLength(5);
  expect(lines.filter((l) => l.human_judgement !== undefined)).toHaveLength(2);
  expect(lines[0]).toMatchObject({ answer: 'B', predict: 'B', correct: true, dimension: 3, human_judgement: 0 });

  await page.getByLabel('Results file').setInputFiles(path);
  await expect(page.getByRole('region', { name: 'Runs' })).toContainText('5 results: 5 matched by video and question');
  // The imported run is reviewed, compared with the batch run it came from: every score cell is the same.
  await page.getByRole('tab', { name: 'Scores' }).click();
  await expect(overall(page)).toContainText('50.0 % (2.5/5)');
  const rows = page.getByRole('table', { name: 'Score table' }).locator('tbody tr:not(.section-row)');
  expect(await rows.count()).toBeGreaterThanOrEqual(5);
  for (const row of await rows.all()) {
    const [imported, original] = await row.getByRole('cell').allInnerTexts();
    expect(imported).toBe(original);
  }
});

test('results on their own: V2P-Bench’s published form with no QA items, scored by the first character; a malformed file changes nothing', async ({ page }) => {
  await page.goto('./?model=off&sample=0&save=download');
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  const runs = page.getByRole('region', { name: 'Runs' });

  // Not results at all: said so, nothing imported.
  const bad = test.info().outputPath('bad.jsonl');
  await writeFile(bad, '{"not": "a result"}\nnot json either\n');
  await page.getByLabel('Results file').setInputFiles(bad);
  await expect(runs.getByRole('alert')).toContainText('No results in “bad.jsonl”: line 1: not a result');
  await expect(page.getByRole('combobox', { name: 'Run' })).toHaveCount(0);

  // V2P-Bench publishes `response` as a list and the model's name; answers have no tags.
  const mc = (q: string): string => `${q}\nA: left\nB: right\nC: up\nD: down\nSelect the best option that accurately addresses the question. Give only your option letter, no other words.`;
  const lines = [
    { video_id: 'v1', question: mc('Where does it go?'), answer: 'A', duration: 30, dimension: 3, category: 1, response: ['A. left'], model: 'gpt-4o' },
    { video_id: 'v2', question: mc('Where does she look?'), answer: 'B', duration: 600, dimension: 3, category: 1, response: ['C'], model: 'gpt-4o' },
    { video_id: 'v3', question: mc('Which way first?'), answer: 'D', duration: 4000, dimension: 10, category: 2, response: ['I cannot tell'], model: 'gpt-4o' },
  ];
  const published = test.info().outputPath('gpt-4o.jsonl');
  await writeFile(published, lines.map((l) => JSON.stringify(l)).join('\n'));
  await page.getByLabel('Results file').setInputFiles(published);
  await expect(runs).toContainText('3 results, shown on their own: the project has no QA items.');
  await expect(page.getByRole('listbox', { name: 'Results' }).getByRole('option')).toHaveCount(3);
  await expect(page.getByRole('listbox', { name: 'Results' }).getByRole('option', { name: /^Result 3: unparseable/ })).toBeVisible();
  await page.getByRole('combobox', { name: 'Filter by outcome' }).selectOption('wrong');
  await expect(page.getByRole('listbox', { name: 'Results' }).getByRole('option')).toHaveCount(1);
  await page.getByRole('button', { name: /^Clear filters/ }).click();

  await page.getByRole('tab', { name: 'Scores' }).click();
  await expect(overall(page)).toContainText('33.3 % (1/3)');
  await expect(overall(page)).toContainText('1 unparseable');
  const table = page.getByRole('table', { name: 'Score table' });
  await expect(table.getByRole('row', { name: 'By video duration: long (>= 30 min)' })).toContainText('0.0 % (0/1)');
  await expect(table.getByRole('row', { name: 'By dimension: Reverse Temporal' })).toContainText('0.0 % (0/1)');

  // The score table as CSV, with the same numbers.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export scores as CSV' }).click();
  const csv = await readFile(await (await downloading).path(), 'utf8');
  expect(csv.split('\r\n')[0]).toBe('section,key,label,correct,total,accuracy,unparseable,human_judged');
  expect(csv).toContain('overall,overall,');
  expect(csv).toMatch(/overall,overall,[^,]*,1,3,0\.333/);
});
