import { expect, test } from './test';
import { expectFrame, goTo, openFile, waitForVideo } from './helpers';

/** Seeks forward and backward, by every route a user has; every stop is checked by pixels. */
for (const clip of [
  { file: 'frames-h264.mp4', fps: 30, frames: 90 },
  { file: 'frames-vp8.webm', fps: 25, frames: 75 },
]) {
  test(`frame-exact navigation in ${clip.file}`, async ({ page }) => {
    await page.goto('./?sample=0');
    await openFile(page, clip.file);
    await waitForVideo(page, clip.file);
    const details = page.getByRole('complementary', { name: 'Video details' });
    // Frame-exact WebCodecs decoding is what is under test: a silent fall-back to seeking the
    // <video> element could pass every pixel check below, so it fails here.
    await expect(details.getByRole('status', { name: 'Decoder', exact: true })).toHaveText('WebCodecs (frame-exact, in a worker)');
    await expect(details).toContainText(`${clip.fps} fps`);
    await expect(details).toContainText(`${clip.frames} (numbered`);
    await expect(details).toContainText('640 × 360');
    await expectFrame(page, 0);

    await page.getByRole('button', { name: 'Next frame' }).click();
    await expectFrame(page, 1);
    await page.keyboard.press('ArrowRight');
    await expectFrame(page, 2);
    await page.keyboard.press('Shift+ArrowRight');
    await expectFrame(page, 2 + clip.fps);
    await page.getByRole('button', { name: 'Previous frame' }).click();
    await expectFrame(page, 1 + clip.fps);
    await page.keyboard.press('Shift+ArrowLeft');
    await expectFrame(page, 1);

    // Jumps in both directions, across keyframes and inside groups of pictures.
    for (const n of [47, 12, clip.frames - 1, 3, 31, 29, 60, 59, 0]) {
      await goTo(page, `#${n}`);
      await expectFrame(page, n);
    }
    // After a jump the keyboard steps from where it landed.
    await goTo(page, '#12');
    await expectFrame(page, 12);
    await page.keyboard.press('ArrowRight');
    await expectFrame(page, 13);
    await goTo(page, '1.5');
    // The frame shown at 1.5 s is the last one that starts at or before it.
    await expectFrame(page, Math.floor(1.5 * clip.fps + 1e-9));

    const slider = page.getByRole('slider', { name: 'Timeline' });
    await slider.focus();
    await page.keyboard.press('End');
    await expectFrame(page, clip.frames - 1);
    await page.keyboard.press('ArrowLeft');
    await expectFrame(page, clip.frames - 2);
    await slider.fill('17');
    await expectFrame(page, 17);
  });
}

test('the media-element fallback shows the same frames', async ({ page }) => {
  await page.goto('./?sample=0&decoder=element');
  await openFile(page, 'frames-h264.mp4');
  await waitForVideo(page, 'frames-h264.mp4');
  await expect(page.getByRole('complementary', { name: 'Video details' }).getByRole('status', { name: 'Decoder', exact: true })).toHaveText('Media element (seeking)');
  await expectFrame(page, 0);
  for (const n of [40, 7, 8, 75, 30]) {
    await goTo(page, `#${n}`);
    await expectFrame(page, n);
  }
});

test('plays and pauses with the button and with Space', async ({ page }) => {
  await page.goto('./?sample=0');
  await openFile(page, 'frames-vp8.webm');
  await waitForVideo(page, 'frames-vp8.webm');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect.poll(async () => Number(/Frame (\d+)/.exec((await page.getByLabel('Current frame').textContent()) ?? '')?.[1])).toBeGreaterThan(10);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  const stopped = await page.getByLabel('Current frame').textContent();
  await page.waitForTimeout(300);
  await expect(page.getByLabel('Current frame')).toHaveText(stopped ?? '');

  await page.getByRole('region', { name: 'Frame view' }).click();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
});
