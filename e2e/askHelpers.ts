/** Helpers for the "Ask VideoSeeker" e2e tests: an endpoint test double per worker, and a segmented person to ask about. */
import { expect, type Page } from '@playwright/test';
import jpeg from 'jpeg-js';
import { toScreen, waitForVideo } from './helpers';

export const SETTINGS_KEY = 'videoseeker.endpoint.v1';

/** Points the app at `baseUrl` before it starts (the settings the dialog would store). */
export async function configureEndpoint(page: Page, settings: Record<string, unknown>): Promise<void> {
  await page.addInitScript(
    ({ key, value }) => {
      // Only on the first load of the test: a reload must find what the app itself saved.
      if (sessionStorage.getItem('e2e-endpoint-set') === null) {
        localStorage.setItem(key, JSON.stringify(value));
        sessionStorage.setItem('e2e-endpoint-set', '1');
      }
    },
    { key: SETTINGS_KEY, value: settings },
  );
}

/** The man left of the lamp post on frame 0 of the sample: boxed, segmented by the real model. */
export const PERSON_BOX = { x0: 243, y0: 218, x1: 294, y1: 320 };

export async function boxPerson(page: Page): Promise<void> {
  await waitForVideo(page, 'vtest.webm');
  await boxObject(page, PERSON_BOX);
}

/** Draws a box prompt (frame pixels) on the frame on screen; resolves once the real model's mask is listed for `object` (the active one). */
export async function boxObject(page: Page, box: { x0: number; y0: number; x1: number; y1: number }, object = 'Object 1'): Promise<void> {
  await page.getByRole('button', { name: 'Box prompt' }).click();
  const a = await toScreen(page, box.x0, box.y0);
  const b = await toScreen(page, box.x1, box.y1);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByRole('region', { name: 'Objects' }).getByLabel(`${object} on this frame`)).toContainText(/\d+ px/, { timeout: 150_000 });
}

export function askPanel(page: Page) {
  return page.getByRole('region', { name: 'Ask VideoSeeker' });
}

/** Types a question and asks it; resolves once the query is listed. */
export async function ask(page: Page, question: string): Promise<void> {
  const panel = askPanel(page);
  await panel.getByRole('textbox', { name: 'Question' }).fill(question);
  await panel.getByRole('button', { name: 'Ask', exact: true }).click();
}

/** The trajectory of the selected query. */
export function trajectory(page: Page) {
  return askPanel(page).getByRole('region', { name: 'Trajectory' });
}

export async function waitForStatus(page: Page, status: RegExp, timeout = 60_000): Promise<void> {
  await expect(trajectory(page).getByRole('status')).toHaveText(status, { timeout });
}

/** Waits until the selected query has ended; its final status. */
export async function finalStatus(page: Page, timeout = 90_000): Promise<string> {
  const status = trajectory(page).getByRole('status');
  await expect(status).toHaveText(/Done|Failed|Cancelled/, { timeout });
  return (await status.textContent()) ?? '';
}

/**
 * The frame number burnt into an e2e clip's frame (scripts/make-e2e-fixtures.sh: 10 squares at
 * (32 + 40k, 32) of the 640x360 source, white = 1), read from an image the app sent the model:
 * the positions are scaled to the size it was sent at.
 */
export function frameCodeOf(image: Uint8Array, source = { width: 640, height: 360 }): number {
  const { width, height, data } = jpeg.decode(image, { useTArray: true, formatAsRGBA: true });
  let code = 0;
  for (let k = 0; k < 10; k++) {
    const x = Math.round(((32 + 40 * k) * width) / source.width);
    const y = Math.round((32 * height) / source.height);
    const i = (y * width + x) * 4;
    if ((data[i]! + data[i + 1]! + data[i + 2]!) / 3 > 160) code |= 1 << k;
  }
  return code;
}

/** The image bytes the endpoint test double received in request `request`, message `message`, part `part`. */
export async function sentImage(fakeOrigin: string, request: number, message: number, part: number): Promise<Uint8Array> {
  const res = await fetch(`${fakeOrigin}/__fake/image?request=${request}&message=${message}&part=${part}`);
  if (!res.ok) throw new Error(`no image at request ${request}, message ${message}, part ${part}: ${await res.text()}`);
  return new Uint8Array(await res.arrayBuffer());
}
