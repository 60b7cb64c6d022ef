import { expect, test } from '@playwright/test';
import { expectFrame, goTo, openFile, toScreen, waitForVideo } from './helpers';

test('objects, prompts and masks survive a reload, with the video', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('./');
  await waitForVideo(page, 'vtest.webm');
  await expect(page.getByRole('button', { name: 'Projects' })).toHaveText('vtest.webm');

  // A positive point on the man left of the lamp post (frame pixels 268, 250).
  await page.keyboard.press('p');
  const at = await toScreen(page, 268, 250);
  await page.mouse.click(at.x, at.y);
  const meta = page.getByRole('region', { name: 'Objects' }).getByLabel('Object 1 on this frame');
  await expect(meta).toContainText(/\d+ px/, { timeout: 150_000 });
  const before = await meta.textContent();
  await page.getByRole('button', { name: 'Rename Object 1' }).click();
  await page.getByRole('textbox', { name: 'Name of Object 1' }).fill('man by the post');
  await page.keyboard.press('Enter');
  // The new name is in the store (its save is scheduled) before "Saved" can mean it.
  await expect(page.getByRole('region', { name: 'Objects' }).getByRole('button', { name: /^man by the post/ })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('Saved');

  await page.reload();
  await waitForVideo(page, 'vtest.webm');
  await expect(page.getByRole('region', { name: 'Objects' }).getByRole('button', { name: /^man by the post/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Objects' }).getByLabel('man by the post on this frame')).toHaveText(before ?? '');
});

test('projects can be listed, switched, renamed and deleted', async ({ page }) => {
  await page.goto('./?sample=0&model=off');
  await openFile(page, 'frames-vp8.webm');
  await waitForVideo(page, 'frames-vp8.webm');
  await openFile(page, 'frames-h264.mp4');
  await waitForVideo(page, 'frames-h264.mp4');
  await goTo(page, '#5');
  await expectFrame(page, 5);

  await page.getByRole('button', { name: 'Projects' }).click();
  const dialog = page.getByRole('dialog', { name: 'Projects' });
  const list = dialog.getByRole('list', { name: 'Saved projects' });
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await dialog.getByRole('button', { name: 'Rename frames-vp8.webm' }).click();
  await dialog.getByRole('textbox', { name: 'New name for frames-vp8.webm' }).fill('VP8 clip');
  await dialog.getByRole('button', { name: 'Save name' }).click();
  await expect(list).toContainText('VP8 clip');
  await dialog.getByRole('button', { name: 'Open VP8 clip' }).click();
  await waitForVideo(page, 'frames-vp8.webm');
  await expect(page.getByRole('button', { name: 'Projects' })).toHaveText('VP8 clip');

  // The last project comes back after a reload, its video read from the browser's storage.
  await page.reload();
  await waitForVideo(page, 'frames-vp8.webm');
  await expect(page.getByRole('button', { name: 'Projects' })).toHaveText('VP8 clip');

  await page.getByRole('button', { name: 'Projects' }).click();
  page.once('dialog', (d) => void d.accept());
  await dialog.getByRole('button', { name: 'Delete frames-h264.mp4' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(1);
});
