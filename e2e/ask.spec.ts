/**
 * Ask VideoSeeker, end to end: the real app (real video decoding, real segmentation model) talks
 * to the endpoint test double (testing/fake-endpoint), which checks every request as vLLM would and
 * plays scripted VideoSeeker trajectories.
 */
import { writeFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { startFakeEndpoint, type FakeEndpoint } from '../testing/fake-endpoint/server';
import { ask, askPanel, boxPerson, finalStatus, PERSON_BOX, trajectory, configureEndpoint, waitForStatus } from './askHelpers';

let fake: FakeEndpoint;

test.beforeAll(async () => {
  fake = await startFakeEndpoint({ chunkDelayMs: 5 });
});
test.afterAll(async () => {
  await fake.close();
});
test.beforeEach(() => {
  fake.reset();
  fake.setScript('videoseeker');
});

const origin = (): string => fake.url.replace(/\/v1$/, '');

async function pixel(x: number, y: number): Promise<{ r: number; g: number; b: number }> {
  const res = await fetch(`${origin()}/__fake/pixel?visualPrompt=1&x=${x}&y=${y}`);
  expect(res.ok).toBe(true);
  return (await res.json()) as { r: number; g: number; b: number };
}

/** Everything the double found wrong in what the app sent (nothing, for a correct client). */
function protocolProblems(): string[] {
  return fake.requests().flatMap((r) => [...r.problems, ...(r.rejected ? [`rejected: ${r.rejected}`] : [])]);
}

async function setUp(page: Page, settings: Record<string, unknown> = {}): Promise<void> {
  await configureEndpoint(page, { baseUrl: fake.url, ...settings });
  await page.goto('./');
  await boxPerson(page);
}

test('box a person, ask: the trajectory shows the thinking, both tool calls with their frames, and the answer; reload keeps it', async ({ page }) => {
  test.setTimeout(240_000);
  await setUp(page);
  const panel = askPanel(page);
  // The live preview is the exact image view_visual_prompt will return.
  await expect(panel.getByRole('img', { name: 'Visual prompt frame preview' })).toBeVisible();
  await expect(panel.getByText(/What view_visual_prompt returns: 768×576/)).toBeVisible();

  await ask(page, 'What is <vp> doing?');
  expect(await finalStatus(page), JSON.stringify(protocolProblems())).toBe('Done');
  const t = trajectory(page);
  await expect(t).toContainText('Asked about Object 1: What is the target in the highlighted box doing?');
  await expect(t.getByRole('article')).toHaveCount(3);
  await expect(t.getByRole('article', { name: 'Round 1' }).getByText('Thinking', { exact: true })).toBeVisible();

  const view = t.getByRole('group', { name: 'Tool call view_visual_prompt' });
  await expect(view.getByRole('img', { name: /Visual prompt frame/ })).toBeVisible();
  const crop = t.getByRole('group', { name: 'Tool call crop_video' });
  await expect(crop.getByRole('list', { name: 'Images returned by crop_video' }).getByRole('listitem')).toHaveCount(4);
  for (const s of ['0.0', '1.0', '2.0', '3.0']) await expect(crop.getByRole('button', { name: `Go to ${s} s` })).toBeVisible();
  await expect(t.getByLabel('Final answer')).toContainText(/Answer/);
  await expect(t.getByLabel('Final answer')).toContainText('well-formed');

  // What the double saw: a protocol-correct conversation, 64 frames at smart_resize size, the
  // crop's frames at the right times, and the prompt's red box right at the person.
  expect(protocolProblems()).toEqual([]);
  const first = fake.requests().find((r) => r.frames !== null)!;
  expect(first.frames!.count).toBe(64);
  expect(first.frames!.sizes[0]).toEqual({ width: 504, height: 364 });
  const cropResult = fake.requests().flatMap((r) => r.toolResults).find((r) => r.name === 'crop_video')!;
  expect(cropResult.outcome).toBe('success');
  expect(cropResult.labels).toEqual([0, 1, 2, 3]);
  // Along a row through the person: red where the box's sides are, and nowhere far from it.
  const midY = Math.round((PERSON_BOX.y0 + PERSON_BOX.y1) / 2);
  const red = (p: { r: number; g: number; b: number }): boolean => p.r > 180 && p.g < 90 && p.b < 90;
  const redXs: number[] = [];
  for (let x = PERSON_BOX.x0 - 30; x <= PERSON_BOX.x1 + 30; x += 1) if (red(await pixel(x, midY))) redXs.push(x);
  await writeFile(test.info().outputPath('visual-prompt.jpg'), Buffer.from(await (await fetch(`${origin()}/__fake/image?visualPrompt=1`)).arrayBuffer()));
  expect(redXs.length, `red pixels on row ${midY}`).toBeGreaterThan(3);
  expect(Math.min(...redXs)).toBeGreaterThanOrEqual(PERSON_BOX.x0 - 12);
  expect(Math.max(...redXs)).toBeLessThanOrEqual(PERSON_BOX.x1 + 12);

  // A time under a returned frame seeks the video there.
  await crop.getByRole('button', { name: 'Go to 2.0 s' }).click();
  await expect(page.getByLabel('Current frame')).toHaveText(/^Frame 20 \//);

  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('Saved');
  await page.reload();
  await expect(askPanel(page).getByRole('region', { name: 'Query history' })).toContainText('What is the target in the highlighted box doing?');
  await expect(trajectory(page).getByRole('group', { name: 'Tool call crop_video' })).toBeVisible();
  await expect(trajectory(page).getByLabel('Final answer')).toBeVisible();
});

test('multiple choice with tool calls written as text: the answer is the letter', async ({ page }) => {
  test.setTimeout(240_000);
  fake.setScript('videoseeker-text', { answer: 'C' });
  await setUp(page, { stream: false });
  const panel = askPanel(page);
  await panel.getByRole('checkbox', { name: 'Multiple choice' }).check();
  for (const [letter, text] of [['A', 'Walking'], ['B', 'Standing'], ['C', 'Talking'], ['D', 'Running']]) await panel.getByRole('textbox', { name: `Option ${letter}` }).fill(text!);
  await ask(page, 'What is <vp> doing?');
  await waitForStatus(page, /Done/);
  await expect(trajectory(page).getByLabel('Final answer').getByRole('strong')).toHaveText('C');
  await expect(trajectory(page).getByRole('group', { name: 'Tool call crop_video' }).getByText('text', { exact: true })).toBeVisible();
  expect(protocolProblems()).toEqual([]);
  const userText = fake.requests()[fake.requests().length - 1]!.userText ?? '';
  expect(userText).toContain('What is the target in the highlighted box doing?\nA: Walking\nB: Standing\nC: Talking\nD: Running');
});

test('model text is shown as text: HTML from a model never reaches the DOM', async ({ page }) => {
  test.setTimeout(240_000);
  const evil = '<img src="x" onerror="window.__pwned = 1"><b>bold</b> B';
  fake.setScript('direct', { answer: evil });
  await setUp(page, { mode: 'direct' });
  await ask(page, 'What is <vp> doing?');
  expect(await finalStatus(page)).toBe('Done');
  await expect(trajectory(page).getByRole('article', { name: 'Round 1' })).toContainText(evil);
  expect(await trajectory(page).locator('img[src="x"], b').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('cancel stops the query at once and keeps what arrived', async ({ page }) => {
  test.setTimeout(240_000);
  fake.setScript('slow');
  await setUp(page);
  await ask(page, 'Where does <vp> go?');
  await expect(trajectory(page).getByRole('article', { name: 'Round 1' })).toContainText(/\w{3,}/, { timeout: 60_000 });
  await askPanel(page).getByRole('button', { name: 'Cancel', exact: true }).click();
  await waitForStatus(page, /Cancelled/);
  await expect(trajectory(page).getByRole('article', { name: 'Round 1' })).toContainText(/\w{3,}/);
  await expect(askPanel(page).getByRole('button', { name: 'Retry' })).toBeVisible();
});

test('every endpoint failure shows a clear message in the trajectory', async ({ page }) => {
  test.setTimeout(360_000);
  await setUp(page, { timeoutS: 3 });
  const panel = askPanel(page);
  const question = panel.getByRole('textbox', { name: 'Question' });
  await question.fill('What is <vp> doing?');
  const cases: [string, RegExp][] = [
    ['http-401', /rejected the API key/],
    ['http-403', /refused access/],
    ['http-413', /too large[\s\S]*fewer frames|too large[\s\S]*pixels/i],
    ['http-500-always', /The server failed \(HTTP 500\)/],
    ['hang', /No answer for 3/],
    ['non-json', /not a Chat Completions response/],
    ['truncated-stream', /cut off/],
  ];
  for (const [script, message] of cases) {
    fake.setScript(script as 'http-401');
    await panel.getByRole('button', { name: 'Ask', exact: true }).click();
    await waitForStatus(page, /Failed/, 90_000);
    await expect(trajectory(page), script).toContainText(message);
  }

  // A failed query is retried from its failed round once the server is back.
  fake.setScript('http-500-always');
  await panel.getByRole('button', { name: 'Ask', exact: true }).click();
  await waitForStatus(page, /Failed/, 90_000);
  fake.setScript('videoseeker');
  await panel.getByRole('button', { name: 'Retry' }).click();
  await waitForStatus(page, /Done/, 90_000);
  await expect(trajectory(page).getByLabel('Final answer')).toBeVisible();

  // Retried after 429 and 503, then answered: the retries are shown.
  for (const script of ['http-429-then-ok', 'http-503-then-ok'] as const) {
    fake.setScript(script, { failures: 1, retryAfterS: 1 });
    await panel.getByRole('button', { name: 'Ask', exact: true }).click();
    await waitForStatus(page, /Done/, 90_000);
    await expect(trajectory(page).getByText(/HTTP (429|503): retried after/)).toBeVisible();
  }
});

test('unknown model, CORS refusal and an unreachable server are explained', async ({ page, browser }) => {
  test.setTimeout(360_000);
  await setUp(page, { model: 'no-such-model' });
  await ask(page, 'What is <vp> doing?');
  await waitForStatus(page, /Failed/);
  await expect(trajectory(page)).toContainText(/no model[\s\S]*no-such-model|no-such-model[\s\S]*does not exist/i);

  const closed = await startFakeEndpoint({ cors: false });
  const blocked = await browser.newPage();
  try {
    await configureEndpoint(blocked, { baseUrl: closed.url });
    await blocked.goto('./');
    await boxPerson(blocked);
    await ask(blocked, 'What is <vp> doing?');
    await waitForStatus(blocked, /Failed/);
    await expect(trajectory(blocked)).toContainText(/blocked the answer/);
    await expect(trajectory(blocked)).toContainText(/--allowed-origins/);
    await expect(trajectory(blocked)).toContainText(/VIDEOSEEKER_PROXY_TARGET/);
  } finally {
    await blocked.close();
    await closed.close();
  }

  const gone = await startFakeEndpoint();
  const goneUrl = gone.url;
  await gone.close();
  await page.getByRole('button', { name: 'Endpoint settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Endpoint settings' });
  await dialog.getByRole('textbox', { name: 'Base URL' }).fill(goneUrl);
  await dialog.getByRole('textbox', { name: 'Base URL' }).press('Enter');
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(dialog.getByRole('status', { name: 'Connection test' })).toContainText(/Cannot reach/);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await askPanel(page).getByRole('button', { name: 'Ask', exact: true }).click();
  await waitForStatus(page, /Failed/);
  await expect(trajectory(page)).toContainText(/Cannot reach/);
});

test('model misbehaviour is answered with the protocol’s error texts, never a crash', async ({ page }) => {
  test.setTimeout(360_000);
  await setUp(page);
  const panel = askPanel(page);
  await panel.getByRole('textbox', { name: 'Question' }).fill('What is <vp> doing?');
  const cases: [string, RegExp][] = [
    ['unknown-tool', /Unknown tool: zoom_in/],
    ['bad-arguments', /not valid JSON/],
    ['wrong-types', /start_time must be a number/],
    ['start-after-end', /must be greater than start_time/],
    ['past-end', /exceeds video duration \(79\.5s\)/],
    ['endless-tools', /still called tools after 5/],
    ['no-answer', /no <answer>/],
  ];
  for (const [script, message] of cases) {
    fake.setScript(script as 'unknown-tool');
    await panel.getByRole('button', { name: 'Ask', exact: true }).click();
    expect(await finalStatus(page), `${script}: ${JSON.stringify(protocolProblems())}`).toBe('Done');
    await expect(trajectory(page), script).toContainText(message);
  }
  expect(protocolProblems()).toEqual([]);
});

test('the endpoint settings test the connection and pick a model from the server', async ({ page }) => {
  await configureEndpoint(page, { baseUrl: 'http://127.0.0.1:9/v1' });
  await page.goto('./?model=off');
  await page.getByRole('button', { name: 'Endpoint settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Endpoint settings' });
  await dialog.getByRole('textbox', { name: 'Base URL' }).fill(fake.url);
  await dialog.getByRole('textbox', { name: 'Base URL' }).press('Enter');
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(dialog.getByRole('status', { name: 'Connection test' })).toContainText('Connected: 1 model, using videoseeker-fake');
  await dialog.getByLabel('Model', { exact: true }).fill('other-model');
  await dialog.getByLabel('Model', { exact: true }).press('Enter');
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(dialog.getByRole('status', { name: 'Connection test' })).toContainText('does not serve “other-model”');
  await dialog.getByRole('combobox', { name: 'Image format' }).selectOption('png');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await page.reload();
  await page.getByRole('button', { name: 'Endpoint settings' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Base URL' })).toHaveValue(fake.url);
  await expect(dialog.getByRole('combobox', { name: 'Image format' })).toHaveValue('png');
});

test('ask with every style: eight answers side by side with their rendered frames', async ({ page }) => {
  test.setTimeout(300_000);
  await setUp(page);
  await askPanel(page).getByRole('textbox', { name: 'Question' }).fill('What is <vp> doing?');
  await askPanel(page).getByRole('button', { name: 'Ask with every style' }).click();
  await expect(askPanel(page).getByRole('alert')).toHaveCount(0);
  const dialog = page.getByRole('dialog', { name: 'Every prompt style' });
  const cells = dialog.getByRole('listitem');
  await expect(cells).toHaveCount(8);
  for (const name of ['Rectangle', 'Mask contour', 'Ellipse', 'Triangle', 'Scribble', 'Point', 'Arrow', 'Set of mark (number)']) {
    await expect(dialog.getByLabel(`Answer with ${name}`)).not.toHaveText(/preparing|round|failed/, { timeout: 120_000 });
    await expect(dialog.getByRole('img', { name: `${name} prompt` })).toBeVisible();
  }
  await expect(dialog.getByRole('status')).toHaveText(/does not depend/);
  // Each style's question carried its own phrase.
  const texts = fake.requests().map((r) => r.userText ?? '').join('\n');
  for (const phrase of ['the target outlined by the contour', 'the target indicated by the arrow', 'the target marked with number 1']) expect(texts).toContain(phrase);
  expect(protocolProblems()).toEqual([]);
});
