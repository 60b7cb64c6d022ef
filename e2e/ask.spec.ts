/**
 * Ask VideoSeeker, end to end: the real app (real video decoding, real segmentation model) talks
 * to the endpoint test double (testing/fake-endpoint), which checks every request as vLLM would and
 * plays scripted VideoSeeker trajectories.
 */
import { writeFile } from 'node:fs/promises';
import { expect, test, type Page } from './test';
import { startFakeEndpoint, type FakeEndpoint } from '../testing/fake-endpoint/server';
import { ask, askPanel, boxObject, boxPerson, configureEndpoint, finalStatus, frameCodeOf, PERSON_BOX, sentImage, trajectory, waitForStatus } from './askHelpers';
import { expectFrame, goTo, openFile, waitForVideo } from './helpers';

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
  const answer = 'The man walks past the lamp post towards the camera.';
  fake.setScript('videoseeker', { answer });
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
  // The answer shown is the one the model streamed, as the double sent it.
  await expect(t.getByLabel('Final answer').getByRole('strong')).toHaveText(answer);
  expect(fake.requests().at(-1)!.response!.content).toContain(`<answer>${answer}</answer>`);
  await expect(t.getByLabel('Final answer')).toContainText('well-formed');
  // The results followed the stream down to the answer, and the status stayed in sight above it.
  expect(await t.evaluate((el) => el.closest('.ask-results-area')!.scrollTop), 'the results followed the stream').toBeGreaterThan(0);
  await expect(t.getByRole('status')).toBeInViewport({ ratio: 1 });
  await expect(t.getByLabel('Final answer')).toBeInViewport();

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

test('a first-time user: the endpoint button says what it is, the <vp> hint waits for a question, "no mask yet" goes the moment the mask appears', async ({ page }) => {
  test.setTimeout(240_000);
  await configureEndpoint(page, { baseUrl: fake.url });
  await page.goto('./');
  const panel = askPanel(page);
  // The button says what it is, then the model and host; it fits the panel's header at 1280 px.
  const endpoint = panel.getByRole('button', { name: 'Endpoint settings' });
  await expect(endpoint).toHaveText(/^Endpoint:\s*auto model @ 127\.0\.0\.1:\d+$/);
  const [button, area] = [(await endpoint.boundingBox())!, (await panel.boundingBox())!];
  expect(button.x + button.width).toBeLessThanOrEqual(area.x + area.width);
  const heading = (await panel.getByRole('heading', { name: /ask videoseeker/i }).boundingBox())!;
  expect(Math.abs(button.y + button.height / 2 - (heading.y + heading.height / 2)), 'on the heading line').toBeLessThan(12);

  // At 1280 × 800 the question and its Ask button are in view, not below a scrolled area's fold.
  const question = panel.getByRole('textbox', { name: 'Question' });
  await expect(question).toBeInViewport({ ratio: 1 });
  await expect(panel.getByRole('button', { name: 'Ask', exact: true })).toBeInViewport({ ratio: 1 });

  // Nothing to say about <vp> until a question is typed.
  const hint = panel.getByText(/it is sent as/);
  await expect(hint).toBeVisible();
  await expect(hint).not.toContainText('has no <vp>');
  await question.fill('What is it doing?');
  await expect(hint).toContainText('(This question has no <vp>.)');
  await question.fill('What is <vp> doing?');
  await expect(hint).not.toContainText('has no <vp>');

  // Watch every DOM change: the Ask panel must never say "no mask yet" while the object's mask is listed.
  await waitForVideo(page, 'vtest.webm');
  await page.evaluate(() => {
    const probe = { waiting: 0, stale: 0 };
    (window as unknown as { maskProbe: typeof probe }).maskProbe = probe;
    new MutationObserver(() => {
      const ask = document.querySelector('[aria-label="Ask VideoSeeker"]')?.textContent ?? '';
      if (!ask.includes('has no mask yet')) return;
      const mask = document.querySelector('[aria-label="Object 1 on this frame"]')?.textContent ?? '';
      if (/\d+ px/.test(mask)) probe.stale++;
      else probe.waiting++;
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await boxObject(page, PERSON_BOX);
  await expect(panel.getByRole('img', { name: 'Visual prompt frame preview' })).toBeVisible();
  const probe = await page.evaluate(() => (window as unknown as { maskProbe: { waiting: number; stale: number } }).maskProbe);
  expect(probe.waiting, 'the message was there while the model worked').toBeGreaterThan(0);
  expect(probe.stale, 'DOM states with the mask listed and "no mask yet" still shown').toBe(0);
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
  // Each call written as <tool_call> text is shown once, as its card: not also as the raw JSON line.
  for (const [round, name] of [['Round 1', 'view_visual_prompt'], ['Round 2', 'crop_video']]) {
    const article = trajectory(page).getByRole('article', { name: round });
    await expect(article.getByRole('group', { name: `Tool call ${name}` })).toContainText(name === 'crop_video' ? '"start_time": 0.0' : '"frame_path"');
    await expect(article).not.toContainText('{"name"');
    await expect(article).not.toContainText('tool_call>');
  }
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
  const round = trajectory(page).getByRole('article', { name: 'Round 1' });
  // The thinking streams in a word a second: cancel once a few words are there.
  const thinking = round.getByRole('paragraph');
  await expect(thinking).toHaveText(/^\S+ \S+ \S+/, { timeout: 60_000 });
  await askPanel(page).getByRole('button', { name: 'Cancel', exact: true }).click();
  await waitForStatus(page, /Cancelled/);
  const kept = (await thinking.textContent()) ?? '';
  // What the double was streaming (it gives up writing once the client is gone).
  await expect.poll(() => fake.requests().at(-1)?.response?.content ?? null).not.toBeNull();
  const scripted = /<think>([\s\S]*?)<\/think>/.exec(fake.requests().at(-1)!.response!.content!)![1]!.trim();
  // The words that streamed in are kept, exactly as sent, and the stream did stop part-way.
  expect(kept.split(' ').length, kept).toBeGreaterThanOrEqual(3);
  expect(scripted.startsWith(kept), `${JSON.stringify(kept)} is the start of ${JSON.stringify(scripted)}`).toBe(true);
  expect(kept.length).toBeLessThan(scripted.length);
  // Nothing more arrives after the cancel.
  await page.waitForTimeout(2500);
  await expect(thinking).toHaveText(kept);
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
  const answer = 'The man is walking past the lamp post.';
  fake.setScript('videoseeker', { answer });
  await setUp(page);
  await askPanel(page).getByRole('textbox', { name: 'Question' }).fill('What is <vp> doing?');
  await askPanel(page).getByRole('button', { name: 'Ask with every style' }).click();
  await expect(askPanel(page).getByRole('alert')).toHaveCount(0);
  const dialog = page.getByRole('dialog', { name: 'Every prompt style' });
  const cells = dialog.getByRole('listitem');
  await expect(cells).toHaveCount(8);
  const styles = ['Rectangle', 'Mask contour', 'Ellipse', 'Triangle', 'Scribble', 'Point', 'Arrow', 'Set of mark (number)'];
  for (const name of styles) {
    // Only a query that finished shows its answer, and it is the scripted one.
    await expect(dialog.getByLabel(`Answer with ${name}`)).toHaveText(answer, { timeout: 120_000 });
    await expect(dialog.getByRole('img', { name: `${name} prompt` })).toBeVisible();
  }
  await expect(dialog.getByRole('status')).toHaveText(/does not depend/);
  // Each style's question carried its own phrase and ended with the streamed answer.
  const finals = fake.requests().filter((r) => r.response?.content?.includes(`<answer>${answer}</answer>`));
  const phrases = [
    'the target in the highlighted box',
    'the target outlined by the contour',
    'the target inside the ellipse',
    'the target indicated by the triangle marker',
    'the target under the scribble mark',
    'the target marked by the point',
    'the target indicated by the arrow',
    'the target marked with number 1',
  ];
  for (const phrase of phrases) expect(finals.filter((r) => r.userText?.includes(phrase)), phrase).toHaveLength(1);
  expect(protocolProblems()).toEqual([]);
  // A style's trajectory shows the answer the model streamed.
  await dialog.getByRole('listitem', { name: 'Arrow' }).getByRole('button', { name: 'Trajectory' }).click();
  await expect(trajectory(page)).toContainText('the target indicated by the arrow');
  await expect(trajectory(page).getByLabel('Final answer').getByRole('strong')).toHaveText(answer);
});

test('what the model is sent: the question frames and crop_video frames are the frames the protocol samples, by their burnt-in numbers', async ({ page }) => {
  test.setTimeout(240_000);
  // frames-h264.mp4: 640x360, 30 fps, 90 frames (3.0 s), each frame's number burnt in.
  const clip = { frames: 90, fps: 30, durationS: 3 };
  const sampling = { fps: 4, maxFrames: 64, minPixels: 784, maxPixels: 200704, factor: 28 };
  const crop: [number, number] = [0.5, 2.5];
  fake.setScript('videoseeker', { cropRange: crop });
  fake.setExpectations({ video: { width: 640, height: 360, durationS: clip.durationS, fps: clip.fps }, sampling: { fps: sampling.fps } });
  await configureEndpoint(page, { baseUrl: fake.url, sampling });
  await page.goto('./');
  await waitForVideo(page, 'vtest.webm');
  await openFile(page, 'frames-h264.mp4');
  await waitForVideo(page, 'frames-h264.mp4');
  // The prompt on frame 37, around the big number in the middle.
  await goTo(page, '#37');
  await expectFrame(page, 37);
  await boxObject(page, { x0: 230, y0: 120, x1: 410, y1: 290 });
  await ask(page, 'What is <vp>?');
  expect(await finalStatus(page), JSON.stringify(protocolProblems())).toBe('Done');
  expect(protocolProblems()).toEqual([]);

  // The last request holds it all: the question's frames (message 0), the visual prompt and the crop.
  const last = fake.requests().at(-1)!;
  const codes = (images: readonly { message: number; part: number }[]) => Promise.all(images.map(async (i) => frameCodeOf(await sentImage(origin(), last.index, i.message, i.part))));
  const question = last.images.filter((i) => i.message === 0);
  // §2.1: n = floor2(clamp(3.0 s * 4 fps, 2, 64)) = 12 frames, linspace(0, 89, 12) rounded.
  expect(await codes(question)).toEqual(protocolFrames(0, clip.frames - 1, clip.durationS * sampling.fps));
  const cropResult = last.toolResults.find((r) => r.name === 'crop_video')!;
  expect(cropResult.outcome).toBe('success');
  // §2.3: [0.5, 2.5] s is frames 15..75; n = floor2(clamp(2 s * 1 fps, 4, 64)) = 4, linspace(15, 75, 4).
  expect(await codes(cropResult.images)).toEqual(protocolFrames(crop[0] * clip.fps, crop[1] * clip.fps, (crop[1] - crop[0]) * 1, 4));
  const vp = last.toolResults.find((r) => r.name === 'view_visual_prompt')!;
  expect(await codes(vp.images)).toEqual([37]);
});

/**
 * The frames the protocol samples between two frame indices: n = floor2(clamp(wanted, ceil2(minFrames), 64))
 * (at most the frames there are), at linspace(first, last, n) rounded half to even.
 */
function protocolFrames(first: number, last: number, wanted: number, minFrames = 1): number[] {
  const floor2 = (x: number): number => Math.floor(x / 2) * 2;
  const n = floor2(Math.min(Math.max(wanted, Math.ceil(minFrames / 2) * 2), 64, last - first + 1));
  const roundHalfEven = (x: number): number => (Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x));
  return Array.from({ length: n }, (_, i) => roundHalfEven(i === n - 1 ? last : first + (i * (last - first)) / (n - 1)));
}
