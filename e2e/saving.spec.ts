/**
 * Nothing is lost while the app is busy: a model that streams an answer a word every 300 ms
 * changes the store all the time, and the project must still be saved within about a second of
 * every edit. A reload mid-stream keeps the edit and the query, marked interrupted.
 */
import { expect, test } from './test';
import { startFakeEndpoint, type FakeEndpoint } from '../testing/fake-endpoint/server';
import { ask, askPanel, boxPerson, configureEndpoint, trajectory } from './askHelpers';

let fake: FakeEndpoint;

test.beforeAll(async () => {
  fake = await startFakeEndpoint({ chunkDelayMs: 5 });
});
test.afterAll(async () => {
  await fake.close();
});

test('a QA item made while an answer streams is saved within a second; after a reload the query is there, interrupted', async ({ page }) => {
  test.setTimeout(240_000);
  fake.reset();
  fake.setScript('slow-stream', { answer: 'The person walks to the lamp post.' });
  await configureEndpoint(page, { baseUrl: fake.url });
  await page.goto('./');
  await boxPerson(page);

  await ask(page, 'Where does <vp> go?');
  const round = trajectory(page).getByRole('article', { name: 'Round 1' });
  // The answer is streaming: its words arrive one by one.
  await expect(round).toContainText('step3', { timeout: 60_000 });

  await page.keyboard.press('q');
  const qa = page.getByRole('region', { name: 'QA dataset' });
  const editor = qa.getByRole('form', { name: 'QA item' });
  await expect(editor.getByRole('textbox', { name: 'QA question' })).toBeFocused();
  await page.keyboard.type('Which way does <vp> walk while the answer streams?');
  // The promise: saved at most about a second after the edit, however busy the store is (its
  // chunks change it every 300 ms). Wait that long, plus margin, and no more.
  await page.waitForTimeout(1_500);
  await page.getByRole('tab', { name: 'Ask', exact: true }).click();
  await expect(trajectory(page).getByRole('status')).toHaveText('Running…');
  const streamed = (await round.textContent()) ?? '';
  const lastWord = Math.max(...[...streamed.matchAll(/step(\d+)/g)].map((m) => Number(m[1])));
  expect(lastWord).toBeGreaterThan(3);
  expect(lastWord).toBeLessThan(200);

  await page.reload();
  await page.getByRole('tab', { name: 'QA dataset' }).click();
  await expect(page.getByRole('table', { name: 'QA items' }).locator('tbody tr')).toHaveCount(1);
  await expect(page.getByRole('table', { name: 'QA items' })).toContainText('Which way does');

  await page.getByRole('tab', { name: 'Ask', exact: true }).click();
  await expect(askPanel(page).getByRole('region', { name: 'Query history' })).toContainText('Where does the target in the highlighted box go?');
  const t = trajectory(page);
  await expect(t.getByRole('status')).toHaveText('Interrupted');
  // It can be asked again from there.
  await expect(askPanel(page).getByRole('button', { name: 'Retry' })).toBeVisible();
  await expect(t).toContainText('Interrupted: the page was closed while this query was running.');
  // What had streamed before the last save is kept with it.
  await expect(t.getByRole('article', { name: 'Round 1' })).toContainText('step3');
});
