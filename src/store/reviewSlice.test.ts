/**
 * Batch runs and the review through the real store: QA items asked a few at a time through the
 * VideoSeeker loop against a scripted endpoint, saved as each finishes, paused, cancelled, read
 * back after a reload and resumed; results imported from files, judged, filtered, compared and
 * exported back to the same scores.
 */
import { describe, expect, it } from 'vitest';
import { failure, reply } from '../testing/agentFakes';
import { memoryProjects } from '../testing/memoryProjects';
import { answerB, API_KEY, item, OPTIONS, reviewStore, settleABit, until, type ReviewOptions, type ReviewSetUp } from '../testing/reviewTestKit';
import { addStreetObjects } from '../testing/streetVideo';
import type { QaItem } from '../core/qa/model';
import { querySettings } from '../core/agent/query';
import type { ResultStatus, ReviewRun } from '../core/review/run';
import type { AppStore } from './appStore';
import { selectFilteredRows, selectRunScores } from './reviewSelectors';

const FIVE = [1, 2, 3, 4, 5].map((n) => item(n));
const idsOf = (items: readonly QaItem[]): string[] => items.map((i) => i.id);

/** The store with the two masked objects and these QA items. */
async function withItems(items: readonly QaItem[], options: ReviewOptions = {}): Promise<ReviewSetUp> {
  const setup = await reviewStore(options);
  addStreetObjects(setup.store);
  setup.store.getState().loadQaItems(items);
  return setup;
}

function runOf(store: AppStore, id: string): ReviewRun {
  const run = store.getState().review.runs.find((r) => r.id === id);
  if (!run) throw new Error(`no run ${id}`);
  return run;
}

const count = (run: ReviewRun, status: ResultStatus): number => run.results.filter((r) => r.status === status).length;

/** Until the run's page driver has stopped (every worker returned) and its last save is written. */
async function stopped(store: AppStore, runId: string): Promise<void> {
  await until(store, (s) => !s.batch.driving.includes(runId), `run ${runId} stops`);
  await store.getState().saveNow();
}

/** Releases held requests as they come, until the run is no longer driven. */
async function drain({ store, client }: ReviewSetUp, runId: string): Promise<void> {
  const end = Date.now() + 2000;
  while (store.getState().batch.driving.includes(runId)) {
    if (Date.now() > end) throw new Error('the run did not finish');
    client.release(client.held);
    await new Promise((r) => setTimeout(r, 1));
  }
  await store.getState().saveNow();
}

/** The run as the repository last wrote it. */
function savedRun(setup: ReviewSetUp, runId: string): ReviewRun | undefined {
  return setup.projects.written.at(-1)?.runs.find((r) => r.id === runId);
}

/** How many finished items the repository last wrote for the run. */
const savedDone = (setup: ReviewSetUp, runId: string): number => savedRun(setup, runId)?.results.filter((r) => r.status === 'done').length ?? 0;

async function start(store: AppStore, items: readonly QaItem[]): Promise<string> {
  const id = await store.getState().startBatch(idsOf(items));
  if (id === null) throw new Error(`the run did not start: ${store.getState().review.error ?? ''}`);
  return id;
}

describe('a batch run', () => {
  it('asks every item, never more than the concurrency at once, with the run’s model and settings', async () => {
    const lookFirst = reply('<think>Look first.</think>', [{ name: 'view_visual_prompt', arguments: '{"frame_path": "street/frame_000005.jpg"}' }]);
    const setup = await withItems(FIVE, { respond: (asked) => (asked.itemId === 'item-1' && asked.round === 0 ? lookFirst : answerB(asked)) });
    const { store, client } = setup;
    store.getState().setBatchConcurrency(2);
    client.hold = true;
    const runId = await start(store, FIVE);
    await drain(setup, runId);

    expect(client.maxInFlight).toBe(2);
    expect(client.requests).toHaveLength(6); // item 1 in two rounds, the others in one
    const run = runOf(store, runId);
    expect(run.state).toBe('done');
    expect(run.results.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(run.model).toBe('vs-8b');
    expect(run.concurrency).toBe(2);
    expect(run.settings).toEqual(querySettings(store.getState().ask.settings));
    expect(run.settings).not.toHaveProperty('apiKey');
    expect(run.resumedAt).toBeNull();
    // The key is used for the requests, and kept out of the run and the project.
    expect(setup.endpoints.every((e) => e.apiKey === API_KEY)).toBe(true);
    expect(JSON.stringify(setup.projects.written.at(-1))).not.toContain(API_KEY);

    const first = run.results[0]!;
    expect(first).toMatchObject({ key: 'item-1', itemId: 'item-1', numRounds: 2, error: null, toolCalls: [{ name: 'view_visual_prompt', arguments: { frame_path: 'street/frame_000005.jpg' } }] });
    expect(first.response).toContain('<think>Look first.</think>');
    expect(first.response).toContain('<answer>B</answer>');
    expect(first.rawOutput).toBe('<think>He walks fast.</think><answer>B</answer>');
    expect(first.item.question).toBe('Item 1: what is the target in the highlighted box doing?');
    const query = first.query!;
    expect(query).toMatchObject({ id: `${runId}/item-1`, group: runId, model: 'vs-8b', instanceId: 'man', sentQuestion: 'Item 1: what is the target in the highlighted box doing?', options: [...OPTIONS] });
    expect(query.visualPrompt).toEqual({ type: 'rectangle', frame: 5, colour: '#ff0000' });
    expect(query.trajectory.status).toBe('done');
    expect(query.trajectory.answer).toBe('B');
    expect(query.trajectory.rounds).toHaveLength(2);
    expect(query.trajectory.response).toBe(first.response);
    expect(first.userText).toBe(query.trajectory.userText);
    for (const r of run.results.slice(1)) expect(r).toMatchObject({ status: 'done', numRounds: 1, response: '<think>He walks fast.</think><answer>B</answer>', toolCalls: [] });

    // Nothing is left in flight, and the project has the run as the store does.
    expect(store.getState().batch.live).toEqual({});
    expect(savedRun(setup, runId)).toEqual(run);
  });

  it('saves each finished item at once, not only at the end', async () => {
    const setup = await withItems(FIVE);
    const { store, client } = setup;
    client.hold = true;
    const runId = await start(store, FIVE);
    for (let k = 1; k <= 5; k++) {
      await until(store, () => client.held === Math.min(2, 6 - k), `${Math.min(2, 6 - k)} requests wait`);
      expect(client.inFlight).toBeLessThanOrEqual(2);
      client.release(1);
      await until(store, () => count(runOf(store, runId), 'done') === k, `${k} items are done`);
      // Well within the 400 ms of the debounced save: this is the save of the finish itself.
      await until(store, () => savedDone(setup, runId) === k, `the project has ${k} finished items`, 250);
      const saved = savedRun(setup, runId)!;
      const finished = runOf(store, runId).results.filter((r) => r.status === 'done');
      expect(saved.results.filter((r) => r.status === 'done')).toEqual(finished);
    }
    await stopped(store, runId);
    expect(savedRun(setup, runId)?.state).toBe('done');
  });

  it('the concurrency is kept on this machine and clamped', async () => {
    const { store } = await withItems([]);
    store.getState().setBatchConcurrency(0);
    expect(store.getState().batch.concurrency).toBe(1);
    store.getState().setBatchConcurrency(500);
    expect(store.getState().batch.concurrency).toBe(64);
  });
});

describe('pause, resume and cancel', () => {
  /** Five items started with requests held; returns once one is done and two are in flight. */
  async function oneDoneTwoInFlight(): Promise<ReviewSetUp & { runId: string }> {
    const setup = await withItems(FIVE);
    const { store, client } = setup;
    client.hold = true;
    const runId = await start(store, FIVE);
    await until(store, () => client.held === 2, 'two requests wait');
    client.release(1);
    await until(store, () => count(runOf(store, runId), 'done') === 1 && client.held === 2, 'one done, two waiting');
    return { ...setup, runId };
  }

  it('pause puts the items in flight back in the queue and starts nothing; resume finishes the rest', async () => {
    const setup = await oneDoneTwoInFlight();
    const { store, client, runId } = setup;
    expect(client.requests).toHaveLength(3);
    store.getState().pauseBatch(runId);
    await stopped(store, runId);
    const paused = runOf(store, runId);
    expect(paused.state).toBe('paused');
    expect(paused.resumedAt).toBeNull();
    expect(paused.results.map((r) => r.status).sort()).toEqual(['done', 'pending', 'pending', 'pending', 'pending']);
    expect(paused.results.filter((r) => r.status === 'pending').every((r) => r.query === null && r.response === null)).toBe(true);
    await settleABit();
    expect(client.requests).toHaveLength(3);
    expect(client.inFlight).toBe(0);
    expect(store.getState().batch.live).toEqual({});
    expect(savedRun(setup, runId)?.state).toBe('paused');

    client.hold = false;
    store.getState().resumeBatch(runId);
    await stopped(store, runId);
    const run = runOf(store, runId);
    expect(run.state).toBe('done');
    expect(count(run, 'done')).toBe(5);
    // The four not done (two of them asked again) were asked once more each.
    expect(client.requests).toHaveLength(3 + 4);
  });

  // The paused drive may still be waiting for the save of the item it just finished (a slow
  // IndexedDB write): resume starts a new one at once, and the old one only winds down.
  it('resume right after pause, while a save is still being written, runs at the full concurrency again', async () => {
    const setup = await withItems(FIVE);
    const { store, client, projects } = setup;
    client.hold = true;
    const runId = await start(store, FIVE);
    await until(store, () => client.held === 2, 'two requests wait');
    projects.saveDelayMs = 100;
    client.release(1);
    await until(store, () => count(runOf(store, runId), 'done') === 1, 'one item done');
    store.getState().pauseBatch(runId);
    await settleABit(10);
    store.getState().resumeBatch(runId);
    projects.saveDelayMs = 0;
    await settleABit(300);
    expect(runOf(store, runId).state).toBe('running');
    expect(client.held).toBe(2);
    await drain(setup, runId);
    expect(count(runOf(store, runId), 'done')).toBe(5);
  });

  it('cancel stops for good: the run is cancelled, the unfinished items stay pending', async () => {
    const setup = await oneDoneTwoInFlight();
    const { store, client, runId } = setup;
    store.getState().cancelBatch(runId);
    await stopped(store, runId);
    const run = runOf(store, runId);
    expect(run.state).toBe('cancelled');
    expect(count(run, 'done')).toBe(1);
    expect(count(run, 'pending')).toBe(4);
    expect(savedRun(setup, runId)?.state).toBe('cancelled');
    await settleABit();
    expect(client.requests).toHaveLength(3);
    // A cancelled run does not resume.
    client.hold = false;
    store.getState().resumeBatch(runId);
    await settleABit();
    expect(runOf(store, runId).state).toBe('cancelled');
    expect(client.requests).toHaveLength(3);
  });
});

describe('a reload during a run', () => {
  it('reads the run back as interrupted with the running items pending; resume asks only the rest', async () => {
    const repository = memoryProjects();
    const first = await withItems(FIVE, { projects: repository });
    const { store, client } = first;
    client.hold = true;
    const runId = await start(store, FIVE);
    for (let k = 1; k <= 2; k++) {
      await until(store, () => client.held === 2, 'two requests wait');
      client.release(1);
      await until(store, () => count(runOf(store, runId), 'done') === k, `${k} done`);
    }
    await until(store, () => client.held === 2, 'two more in flight');
    const before = runOf(store, runId);
    expect([count(before, 'done'), count(before, 'running'), count(before, 'pending')]).toEqual([2, 2, 1]);
    await store.getState().saveNow();
    // The page goes away: its requests never answer and nothing more is written.
    first.projects.crash();

    const again = await reviewStore({ projects: repository });
    const s = again.store.getState();
    expect(s.review.runs).toHaveLength(1);
    const run = s.review.runs[0]!;
    expect(run.id).toBe(runId);
    expect(run.state).toBe('interrupted');
    expect(run.resumedAt).toBeNull();
    expect([count(run, 'done'), count(run, 'running'), count(run, 'pending')]).toEqual([2, 0, 3]);
    const doneBefore = before.results.filter((r) => r.status === 'done');
    expect(run.results.filter((r) => r.status === 'done')).toEqual(doneBefore);
    expect(s.qa.history.present).toHaveLength(5);

    again.store.getState().resumeBatch(runId);
    await stopped(again.store, runId);
    const finished = runOf(again.store, runId);
    expect(finished.state).toBe('done');
    expect(count(finished, 'done')).toBe(5);
    expect(again.client.requests).toHaveLength(3);
    for (const r of doneBefore) expect(again.client.askedFor(r.key)).toBe(0);
    expect(finished.results.filter((r) => doneBefore.some((d) => d.key === r.key))).toEqual(doneBefore);
  });

  it('resume waits for the video: before it is open, nothing is asked and the run stays interrupted', async () => {
    const repository = memoryProjects();
    const first = await withItems(FIVE, { projects: repository });
    first.client.hold = true;
    const runId = await start(first.store, FIVE);
    await until(first.store, () => first.client.held === 2, 'two requests wait');
    await first.store.getState().saveNow();
    first.projects.crash();

    const again = await reviewStore({ projects: repository });
    again.store.getState().closeVideo();
    again.store.getState().resumeBatch(runId);
    expect(runOf(again.store, runId).state).toBe('interrupted');
    expect(again.store.getState().review.error).toMatch(/video is not open yet/);
    expect(again.client.requests).toHaveLength(0);
  });
});

describe('endpoint failures', () => {
  it('three items failing in a row at the endpoint pause the run with why; retry failed asks them again', async () => {
    let down = true;
    const setup = await withItems(FIVE, { respond: (asked) => (down ? failure('unreachable', null, null, 'connect ECONNREFUSED') : answerB(asked)) });
    const { store, client } = setup;
    store.getState().setBatchConcurrency(1);
    const runId = await start(store, FIVE);
    await until(store, () => runOf(store, runId).state === 'paused', 'the run pauses');
    await stopped(store, runId);
    const paused = runOf(store, runId);
    expect(paused.results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed', 'pending', 'pending']);
    for (const r of paused.results.slice(0, 3)) {
      expect(r.error).toBeTruthy();
      expect(r.response).toBeNull();
    }
    expect(client.requests).toHaveLength(3);
    const error = store.getState().review.error;
    expect(error).toMatch(/Paused/);
    expect(error).toMatch(/3 items in a row failed at the endpoint/);
    expect(error).toMatch(/endpoint settings/);

    down = false;
    store.getState().retryFailed(runId);
    expect(store.getState().review.error).toBeNull();
    await stopped(store, runId);
    const run = runOf(store, runId);
    expect(run.state).toBe('done');
    expect(run.results.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(run.results.every((r) => r.error === null)).toBe(true);
    expect(client.requests).toHaveLength(3 + 5);
  });

  it('failures with a success between them do not pause', async () => {
    const setup = await withItems(FIVE, { respond: (asked) => (asked.itemId === 'item-3' ? answerB(asked) : failure('unreachable')) });
    const { store } = setup;
    store.getState().setBatchConcurrency(1);
    const runId = await start(store, FIVE);
    await stopped(store, runId);
    const run = runOf(store, runId);
    expect(run.state).toBe('done');
    expect(run.results.map((r) => r.status)).toEqual(['failed', 'failed', 'done', 'failed', 'failed']);
    expect(store.getState().review.error).toBeNull();
  });
});

describe('what cannot be asked', () => {
  it('items without their object or without a mask on their frame are left out, with a report', async () => {
    const items = [item(1), item(2, { instanceId: 'ghost' }), item(3, { frame: 7 }), item(4)];
    const { store, client } = await withItems(items);
    const runId = await start(store, items);
    expect(runOf(store, runId).results.map((r) => r.key)).toEqual(['item-1', 'item-4']);
    const report = store.getState().review.report ?? '';
    expect(report).toMatch(/Running 2 items/);
    expect(report).toMatch(/2 items were left out/);
    expect(report).toMatch(/Add an object/);
    await stopped(store, runId);
    expect(client.askedFor('item-2') + client.askedFor('item-3')).toBe(0);

    // Only unaskable items: no run, and why.
    const runs = store.getState().review.runs;
    expect(await store.getState().startBatch(['item-3'])).toBeNull();
    expect(store.getState().review.error).toBe('None of these items can be asked: “man” has no mask on frame 7.');
    expect(store.getState().review.runs).toBe(runs);
  });

  // draftForItem's null instanceId would read as "the active instance": such an item is refused first.
  it('an item linked to no object is left out, not asked about the active object', async () => {
    const items = [item(1), item(2, { instanceId: null })];
    const { store, client } = await withItems(items);
    const runId = await start(store, items);
    await stopped(store, runId);
    expect(runOf(store, runId).results.map((r) => r.key)).toEqual(['item-1']);
    expect(store.getState().review.report).toMatch(/1 item was left out/);
    expect(client.askedFor('item-2')).toBe(0);
  });

  // For decision: an item without a visual prompt frame (imported without one) is asked on the
  // object's nearest masked frame; askQaItem refuses it ("not tied to an object with a mask").
  it('an item without a visual prompt frame is left out, as Ask refuses it', async () => {
    const items = [item(1), item(2, { frame: null })];
    const { store, client } = await withItems(items);
    const runId = await start(store, items);
    await stopped(store, runId);
    expect(runOf(store, runId).results.map((r) => r.key)).toEqual(['item-1']);
    expect(client.askedFor('item-2')).toBe(0);
  });

  it('an item deleted while the run waits for it fails without being asked', async () => {
    const setup = await withItems(FIVE);
    const { store, client } = setup;
    client.hold = true;
    const runId = await start(store, FIVE);
    await until(store, () => client.held === 2, 'two requests wait');
    store.getState().deleteQaItem('item-4');
    client.hold = false;
    client.release(2);
    await stopped(store, runId);
    const run = runOf(store, runId);
    expect(run.state).toBe('done');
    expect(run.results.find((r) => r.key === 'item-4')).toMatchObject({ status: 'failed', error: 'Not asked: The QA item was deleted.', query: null });
    expect(client.askedFor('item-4')).toBe(0);
    expect(count(run, 'done')).toBe(4);
  });

  it('an endpoint that cannot be reached for the model starts no run and says why', async () => {
    const setup = await withItems(FIVE, { model: '' });
    const { store, client } = setup;
    client.modelsFailure = { kind: 'unreachable', status: null, detail: 'connect ECONNREFUSED', retryAfterS: null };
    expect(await store.getState().startBatch(idsOf(FIVE))).toBeNull();
    expect(store.getState().review.runs).toEqual([]);
    expect(store.getState().review.error).toMatch(/^The run did not start\. /);
    expect(store.getState().review.error).toMatch(/gpu:8000/);
    expect(store.getState().batch.driving).toEqual([]);
    expect(client.requests).toHaveLength(0);
    await store.getState().saveNow();
    expect(setup.projects.written.at(-1)?.runs).toEqual([]);

    // Reachable again: the server's first model answers, and the run records it.
    client.modelsFailure = null;
    const runId = await start(store, FIVE.slice(0, 1));
    await stopped(store, runId);
    expect(runOf(store, runId).model).toBe('served-model');
    expect(runOf(store, runId).results[0]!.query?.model).toBe('served-model');
  });
});

const MC_PROMPT_TEXT = '\nSelect the best option that accurately addresses the question. Give only your option letter, no other words.';
const FOLDED_OPTIONS = '\nA: Walking\nB: Running\nC: Sitting\nD: Jumping';

/** A results line in the reference client's form for "Item n" (multiple choice unless `open`). */
function resultLine(n: number, fields: Record<string, unknown> = {}, open = false): string {
  const question = `Item ${n}: what is the target in the highlighted box doing?${open ? '' : FOLDED_OPTIONS + MC_PROMPT_TEXT}`;
  return JSON.stringify({
    video_id: 'street',
    video_path: 'street.mp4',
    duration: 20,
    question,
    answer: 'B',
    source: 'Studio',
    frame_path: '',
    dimension: 1,
    category: 2,
    response: '<think>Hm.</think><answer>B</answer>',
    raw_output: '<think>Hm.</think><answer>B</answer>',
    user_text: 'USER_TEXT',
    predict: 'B',
    tool_calls: [],
    num_rounds: 1,
    correct: true,
    ...fields,
  });
}

const file = (lines: readonly string[]): Blob => new Blob([lines.join('\n') + '\n']);

describe('importing results', () => {
  const FOUR = [1, 2, 3, 4].map((n) => item(n));

  it('a results file becomes a run: matched by video and question, then position; judgements seeded; a report', async () => {
    const setup = await withItems(FOUR);
    const { store, clock } = setup;
    const lines = [
      resultLine(1, { response: '<answer>C</answer>', human_judgement: 1, review_note: 'checked' }),
      resultLine(2),
      resultLine(3, { question: `Reworded: what is he doing?${FOLDED_OPTIONS}${MC_PROMPT_TEXT}`, human_judgement: 0 }),
      resultLine(9, { video_id: 'other-clip', response: '<answer>A</answer>' }),
      '{"question": "broken',
    ];
    await store.getState().importResults(file(lines), 'results.jsonl');
    const s = store.getState().review;
    expect(s.error).toBeNull();
    expect(s.runs).toHaveLength(1);
    const run = s.runs[0]!;
    expect(run).toMatchObject({ kind: 'import', state: 'imported', name: 'results', fileName: 'results.jsonl', settings: null });
    expect(run.results.map((r) => [r.key, r.itemId])).toEqual([
      ['line-1', 'item-1'],
      ['line-2', 'item-2'],
      ['line-3', 'item-3'],
      ['line-4', null],
    ]);
    expect(s.runId).toBe(run.id);
    expect(s.selectedKey).toBe('line-1');
    for (const part of ['4 results', '2 matched by video and question', '1 by position', '1 matched no item (line 4)', '1 item has no result', '1 line was not results (line 5: not valid JSON)']) {
      expect(s.report).toContain(part);
    }
    expect(run.report).toContain('1 matched no item (line 4)');
    expect(s.judgements[run.id]).toEqual({ 'line-1': { value: 1, note: 'checked', at: clock.now() }, 'line-3': { value: 0, note: '', at: clock.now() } });

    // Line 1 judged right though wrong, line 2 right, line 3 judged wrong though right, line 4 wrong.
    const scores = selectRunScores(store.getState());
    expect(scores.overall).toMatchObject({ correct: 2, total: 4, humanJudged: 2, unparseable: 0, failed: 0 });

    // Saved with the project (by the debounced save, after the list has painted).
    await store.getState().saveNow();
    const saved = setup.projects.written.at(-1)!;
    expect(saved.runs.map((r) => r.id)).toEqual([run.id]);
    expect(saved.judgements[run.id]).toEqual(s.judgements[run.id]);
  });

  it('a file with no results changes nothing and says why', async () => {
    const { store } = await withItems(FOUR);
    await store.getState().importResults(file([resultLine(1)]), 'good.jsonl');
    const before = store.getState().review;
    await store.getState().importResults(file(['hello', '[1, 2]', '{"answer": "B"}']), 'bad.jsonl');
    const after = store.getState().review;
    expect(after.error).toMatch(/^No results in “bad\.jsonl”: line 1: not valid JSON; line 2: not a JSON object \(found a list\); line 3: not a result/);
    expect(after.error).toMatch(/Nothing was changed\.$/);
    expect(after.report).toBeNull();
    expect(after.busy).toBeNull();
    expect(after.runs).toBe(before.runs);
    expect(after.judgements).toBe(before.judgements);
    expect(after.runId).toBe(before.runId);

    await store.getState().importResults(new Blob(['\n\n']), 'empty.jsonl');
    expect(store.getState().review.error).toMatch(/the file is empty/);
    expect(store.getState().review.runs).toBe(before.runs);
  });
});

/**
 * A batch run of four items: 1 right (B), 2 wrong (C), 3 unparseable, 4 open-ended (unjudged),
 * items 1, 3 and 4 of dimension 1, item 2 of dimension 2.
 */
const JUDGED_ITEMS = [item(1), item(2, { dimension: 2 }), item(3), item(4, { options: [], answer: 'walking' })];
const JUDGED_ANSWERS: Record<string, string> = {
  'item-1': '<think>a</think><answer>B</answer>',
  'item-2': '<think>b</think><answer>C</answer>',
  'item-3': '<think>c</think><answer>I cannot tell</answer>',
  'item-4': '<think>d</think><answer>Walking.</answer>',
};

async function judgedRun(extra: readonly QaItem[] = [], respond?: ReviewOptions['respond']): Promise<ReviewSetUp & { runId: string }> {
  const items = [...JUDGED_ITEMS, ...extra];
  const setup = await withItems(items, { respond: respond ?? ((asked) => reply(JUDGED_ANSWERS[asked.itemId ?? '']!)) });
  const runId = await start(setup.store, items);
  await stopped(setup.store, runId);
  return { ...setup, runId };
}

const keys = (store: AppStore): string[] => selectFilteredRows(store.getState()).map((r) => r.key);

describe('judging results', () => {
  it('a verdict and a note change the scores and count as judged by a person; clearing both removes the entry', async () => {
    const { store, runId } = await judgedRun();
    const overall = () => selectRunScores(store.getState()).overall;
    const judgement = (key: string) => store.getState().review.judgements[runId]?.[key];
    expect(store.getState().review.runId).toBe(runId);
    expect(overall()).toMatchObject({ correct: 1, total: 3, unparseable: 1, humanJudged: 0, unjudged: 1 });

    store.getState().judge('item-2', 1);
    expect(overall()).toMatchObject({ correct: 2, total: 3, humanJudged: 1 });
    store.getState().judge('item-4', 0.5);
    expect(overall()).toMatchObject({ correct: 2.5, total: 4, humanJudged: 2, unjudged: 0 });
    expect(selectRunScores(store.getState()).byDimension['2']).toMatchObject({ correct: 1, total: 1, humanJudged: 1 });

    store.getState().setReviewNote('item-2', 'close enough');
    expect(judgement('item-2')).toMatchObject({ value: 1, note: 'close enough' });
    // The verdict cleared, the note kept.
    store.getState().judge('item-2', null);
    expect(judgement('item-2')).toMatchObject({ value: null, note: 'close enough' });
    expect(overall()).toMatchObject({ correct: 1.5, total: 4, humanJudged: 1 });
    // Neither verdict nor note: no entry.
    store.getState().setReviewNote('item-2', '');
    expect(store.getState().review.judgements[runId]).not.toHaveProperty('item-2');
    store.getState().judge('item-4', null);
    expect(store.getState().review.judgements[runId]).toEqual({});
    expect(overall()).toMatchObject({ correct: 1, total: 3, humanJudged: 0, unjudged: 1 });
  });

  it('judgements are saved with the project', async () => {
    const setup = await judgedRun();
    const { store, runId } = setup;
    store.getState().judge('item-4', 1);
    store.getState().setReviewNote('item-4', 'same thing');
    await store.getState().saveNow();
    expect(setup.projects.written.at(-1)!.judgements[runId]).toEqual({ 'item-4': { value: 1, note: 'same thing', at: setup.clock.now() } });
  });

  it('stepping follows the filtered rows', async () => {
    const { store } = await judgedRun();
    expect(store.getState().review.selectedKey).toBe('item-1');
    store.getState().setReviewFilter({ dimension: 1 });
    expect(keys(store)).toEqual(['item-1', 'item-3', 'item-4']);
    const step = (delta: 1 | -1): string | null => {
      store.getState().stepResult(delta);
      return store.getState().review.selectedKey;
    };
    expect(step(1)).toBe('item-3');
    expect(step(1)).toBe('item-4');
    expect(step(1)).toBe('item-4');
    expect(step(-1)).toBe('item-3');
    expect(step(-1)).toBe('item-1');
    expect(step(-1)).toBe('item-1');
    // From a result the filter hides: the first (forward) or the last (back).
    store.getState().selectResult('item-2');
    expect(step(1)).toBe('item-1');
    store.getState().selectResult('item-2');
    expect(step(-1)).toBe('item-4');

    store.getState().setReviewFilter({ outcome: 'unparseable' });
    expect(keys(store)).toEqual(['item-3']);
    store.getState().clearReviewFilter();
    expect(keys(store)).toEqual(['item-1', 'item-2', 'item-3', 'item-4']);
  });

  it('the disagree filter shows the items two runs answered differently', async () => {
    const { store, runId } = await judgedRun();
    const other = [
      resultLine(1, { response: '<answer>A</answer>' }), // B here: disagrees
      resultLine(2, { response: '<answer>C</answer>', dimension: 2 }), // the same wrong answer
      resultLine(3, { response: '<answer>I cannot tell</answer>' }), // unparseable both times
      resultLine(4, { response: '<answer>Running</answer>', answer: 'walking' }, true), // a different open answer
    ];
    await store.getState().importResults(file(other), 'other.jsonl');
    const importId = store.getState().review.runId!;
    expect(importId).not.toBe(runId);
    // The import is reviewed against the run reviewed before it.
    expect(store.getState().review.compareId).toBe(runId);
    store.getState().setReviewFilter({ disagree: true });
    expect(keys(store)).toEqual(['line-1', 'line-4']);
    store.getState().stepResult(1);
    expect(store.getState().review.selectedKey).toBe('line-4');

    // Without a compared run the filter goes.
    store.getState().selectCompareRun(null);
    expect(store.getState().review.filter.disagree).toBe(false);
    expect(keys(store)).toHaveLength(4);

    // The other way round.
    store.getState().selectRun(runId);
    store.getState().selectCompareRun(importId);
    store.getState().setReviewFilter({ disagree: true });
    expect(keys(store)).toEqual(['item-1', 'item-4']);
    expect(selectFilteredRows(store.getState()).map((r) => [r.prediction, r.otherPrediction])).toEqual([
      ['B', 'A'],
      ['Walking.', 'Running'],
    ]);
  });
});

describe('exporting results', () => {
  it('the exported JSON Lines read back as a run with the same scores', async () => {
    // A fifth item fails at the endpoint.
    const fifth = item(5, { dimension: 3 });
    const setup = await judgedRun([fifth], (asked) => (asked.itemId === 'item-5' ? failure('unreachable') : reply(JUDGED_ANSWERS[asked.itemId ?? '']!)));
    const { store, runId, files } = setup;
    expect(runOf(store, runId).results.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done', 'failed']);
    store.getState().judge('item-2', 0.5);
    store.getState().setReviewNote('item-2', 'half right');
    store.getState().judge('item-4', 1);
    store.getState().setReviewNote('item-3', 'a note alone');
    const scores = selectRunScores(store.getState());
    expect(scores.overall).toMatchObject({ total: 5, humanJudged: 2, failed: 1, unparseable: 1 });

    await store.getState().exportResults();
    expect(store.getState().review.error).toBeNull();
    expect(files.saved).toHaveLength(1);
    const saved = files.saved[0]!;
    expect(saved.name).toMatch(/\.jsonl$/);
    expect(saved.kind.extension).toBe('.jsonl');
    expect(store.getState().review.report).toBe(`Saved ${saved.name}.`);
    expect(saved.text.trimEnd().split('\n')).toHaveLength(5);
    expect(saved.text).not.toContain(API_KEY);

    await store.getState().importResults(new Blob([saved.text]), saved.name);
    const s = store.getState().review;
    expect(s.runs).toHaveLength(2);
    expect(s.runId).not.toBe(runId);
    expect(s.report).toContain('5 matched by video and question');
    expect(selectRunScores(store.getState())).toEqual(scores);
    expect(s.judgements[s.runId!]?.['line-3']).toMatchObject({ value: null, note: 'a note alone' });
  });

  it('a run with nothing answered yet has nothing to export', async () => {
    const setup = await withItems(FIVE);
    const { store, client, files } = setup;
    client.hold = true;
    const runId = await start(store, FIVE);
    await until(store, () => client.held === 2, 'two requests wait');
    await store.getState().exportResults();
    expect(store.getState().review.error).toMatch(/no results yet/);
    expect(files.saved).toHaveLength(0);
    store.getState().cancelBatch(runId);
    await stopped(store, runId);
  });
});
