/**
 * Videos as they come from the world: a phone video with a rotation in its display matrix, a
 * file cut short after its index, a file whose second half is garbage. Every check reads what a
 * user would see: the frame code in the painted pixels, the messages, where the timeline marks.
 */
import { expect, test, type Locator, type Page } from './test';
import { CODE_SQUARES, expectFrame, goTo, openFile, readFrameCode, waitForVideo } from './helpers';

/** Collects uncaught errors: a damaged file must not throw any. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

const details = (page: Page): Locator => page.getByRole('complementary', { name: 'Video details' });
const decoderShown = (page: Page): Locator => details(page).getByRole('status', { name: 'Decoder', exact: true });

/**
 * rotated-90.mp4 is the 640x360 clip with a display matrix turning it 90° clockwise: upright it
 * is 360x640 and the row of code squares along the top becomes a column down the right edge.
 */
const UPRIGHT = { width: 360, height: 640 };
const UPRIGHT_SQUARES = CODE_SQUARES.map((p) => ({ x: UPRIGHT.width - p.y, y: p.x }));

/** The codes read from the timeline's thumbnails (left to right), at the upright square positions. */
async function thumbnailCodes(page: Page): Promise<{ portrait: boolean; code: number }[]> {
  return page.evaluate(
    ({ squares, width }) =>
      [...document.querySelectorAll<HTMLCanvasElement>('.thumb')]
        .map((c) => ({ c, left: c.getBoundingClientRect().left }))
        .sort((a, b) => a.left - b.left)
        .map(({ c }) => {
          const ctx = c.getContext('2d', { willReadFrequently: true })!;
          const scale = c.width / width;
          let code = 0;
          squares.forEach((p, k) => {
            const d = ctx.getImageData(Math.floor(p.x * scale), Math.floor(p.y * scale), 1, 1).data;
            if ((d[0]! + d[1]! + d[2]!) / 3 > 160) code |= 1 << k;
          });
          return { portrait: c.height > c.width, code };
        }),
    { squares: UPRIGHT_SQUARES, width: UPRIGHT.width },
  );
}

for (const decoder of ['webcodecs', 'element'] as const) {
  test(`a phone video with a 90° display matrix shows upright (${decoder})`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(decoder === 'element' ? './?sample=0&decoder=element' : './?sample=0');
    await openFile(page, 'rotated-90.mp4');
    await waitForVideo(page, 'rotated-90.mp4');
    await expect(decoderShown(page)).toHaveText(decoder === 'element' ? /^Media element/ : /^WebCodecs/);
    await expect(details(page)).toContainText('Resolution360 × 640');

    // Read where the squares are in the upright picture: a stretched or unrotated frame puts
    // grey or blue there instead.
    for (const n of [0, 21, 47, 89, 5]) {
      await goTo(page, `#${n}`);
      await expect(page.getByLabel('Current frame')).toHaveText(new RegExp(`^Frame ${n} /`));
      await expect.poll(() => readFrameCode(page, UPRIGHT_SQUARES), { message: `upright frame should read ${n}` }).toBe(n);
    }

    // Thumbnails are upright too: portrait, and their codes read at the upright positions.
    await expect.poll(async () => (await thumbnailCodes(page)).length).toBe(24);
    const thumbs = await thumbnailCodes(page);
    expect(thumbs.every((t) => t.portrait)).toBe(true);
    const codes = thumbs.map((t) => t.code);
    expect(codes).toEqual([...codes].sort((a, b) => a - b));
    expect(Math.max(...codes)).toBeGreaterThanOrEqual(60);
    expect(errors).toEqual([]);
  });
}

/** The horizontal span of `mark` as fractions of the timeline's width. */
async function spanOnTimeline(page: Page, mark: Locator): Promise<{ from: number; to: number }> {
  const line = (await page.getByRole('slider', { name: 'Timeline' }).boundingBox())!;
  const box = (await mark.boundingBox())!;
  return { from: (box.x - line.x) / line.width, to: (box.x + box.width - line.x) / line.width };
}

test('a file cut short says how much plays, marks the rest and keeps showing the good frames', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./?sample=0');
  await openFile(page, 'cut-40.mp4');
  await waitForVideo(page, 'cut-40.mp4');
  // 31 of 90 packets are in the file (see scripts/make-e2e-fixtures.sh).
  await expect(page.getByRole('status').filter({ hasText: 'The file ends at' })).toContainText(
    'The file ends at 1.0 s of 3.0 s: frames after #30 cannot be shown',
  );
  await expect(details(page)).toContainText('Playable0:01.033, frames 0–30');
  await expect(decoderShown(page)).toHaveText(/^WebCodecs/);
  const span = await spanOnTimeline(page, page.getByRole('img', { name: 'Frames #31–#89: not in the file' }));
  expect(span.from).toBeCloseTo(31 / 90, 2);
  expect(span.to).toBeCloseTo(1, 2);

  await goTo(page, '#30');
  await expectFrame(page, 30);
  await goTo(page, '#40');
  await expect(page.getByRole('alert')).toContainText('Frame #40 cannot be shown: the file ends before its data');
  // The last good picture does not stay up as if it were frame 40.
  await expect.poll(() => readFrameCode(page)).toBe(-1);
  await page.getByRole('button', { name: 'Next frame' }).click();
  await expect(page.getByRole('alert')).toContainText('Frame #41 cannot be shown');

  await goTo(page, '#12');
  await expectFrame(page, 12);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expectFrame(page, 13);
  expect(errors).toEqual([]);
});

test('frames that cannot be decoded are said and marked, and the good ones still show', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./?sample=0');
  await openFile(page, 'garbage-half.mp4');
  await waitForVideo(page, 'garbage-half.mp4');
  await expectFrame(page, 0);
  await goTo(page, '#20');
  await expectFrame(page, 20);

  await goTo(page, '#50');
  await expect(page.getByRole('alert')).toContainText('Frame #50 cannot be decoded: the file is damaged there');
  await expect.poll(() => readFrameCode(page)).toBe(-1);
  const span = await spanOnTimeline(page, page.getByRole('img', { name: 'Frame #50: cannot be decoded' }));
  expect((span.from + span.to) / 2).toBeCloseTo(50.5 / 90, 2);
  // The thumbnail of key frame 60 could not be decoded either: the timeline shows it unvisited.
  await expect(page.getByRole('img', { name: 'Frame #60: cannot be decoded' })).toBeVisible();

  // Playing from a good frame stops at the first bad one, says so and marks it.
  await goTo(page, '#25');
  await expectFrame(page, 25);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('alert')).toContainText('cannot be decoded: the file is damaged there');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  const stopped = Number(/Frame (\d+)/.exec((await page.getByLabel('Current frame').textContent()) ?? '')?.[1]);
  expect(stopped).toBeGreaterThan(25);
  // The scrubber says so for the frame it stopped on (from the list the marks are drawn from).
  await expect(page.getByRole('slider', { name: 'Timeline' })).toHaveAttribute('aria-valuetext', /cannot be decoded/);

  // Back to good frames: they show, and stepping works.
  await goTo(page, '#10');
  await expectFrame(page, 10);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByRole('button', { name: 'Next frame' }).click();
  await expectFrame(page, 11);
  expect(errors).toEqual([]);
});
