/** Helpers for the "Ask VideoSeeker" e2e tests: an endpoint test double per worker, and a segmented person to ask about. */
import { expect, type Page } from '@playwright/test';
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
  await page.getByRole('button', { name: 'Box prompt' }).click();
  const a = await toScreen(page, PERSON_BOX.x0, PERSON_BOX.y0);
  const b = await toScreen(page, PERSON_BOX.x1, PERSON_BOX.y1);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByRole('region', { name: 'Objects' }).getByLabel('Object 1 on this frame')).toContainText(/\d+ px/, { timeout: 150_000 });
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
