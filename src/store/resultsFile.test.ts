/**
 * Results files through the real store: a batch run's results appended to the picked file as they
 * finish (each once, in order of finishing, together when they finish during an append), read
 * back after a reload so that reopening the file appends only the rest, a file that cannot be
 * written any more (the run goes on and keeps every result), a retried failure, and a cancelled
 * pick.
 */
import { describe, expect, it } from 'vitest';
import { parseResultLines } from '../core/review/resultLines';
import type { ReviewRun } from '../core/review/run';
import { failure, reply } from '../testing/agentFakes';
import { memoryProjects } from '../testing/memoryProjects';
import { MemoryResultsFiles } from '../testing/memoryResultsFiles';
import { answerB, item, reviewStore, settleABit, until, type ReviewOptions, type ReviewSetUp } from '../testing/reviewTestKit';
import { addStreetObjects } from '../testing/streetVideo';
import type { AppStore } from './appStore';

const FIVE = [1, 2, 3, 4, 5].map((n) => item(n));
const FILE = 'run.jsonl';

async function setUp(files: MemoryResultsFiles, options: ReviewOptions = {}): Promise<ReviewSetUp> {
  const setup = await reviewStore({ ...options, resultsFiles: files });
  addStreetObjects(setup.store);
  setup.store.getState().loadQaItems(FIVE);
  return setup;
}

const runOf = (store: AppStore, id: string): ReviewRun => store.getState().review.runs.find((r) => r.id === id)!;

/** As the batch dialog does: the file picked first, then the run started and given it. */
async function startWithFile(store: AppStore, files: MemoryResultsFiles, concurrency = 2): Promise<string> {
  files.picks.push(FILE);
  await store.getState().chooseResultsFile();
  expect(store.getState().resultsFile.next).toBe(FILE);
  store.getState().setBatchConcurrency(concurrency);
  const runId = await store.getState().startBatch(FIVE.map((i) => i.id));
  if (runId === null) throw new Error(`the run did not start: ${store.getState().review.error ?? ''}`);
  store.getState().useNextResultsFile(runId);
  return runId;
}

/** Keys in the order their results became done or failed. */
function finishOrder(store: AppStore, runId: string): string[] {
  const order: string[] = [];
  store.subscribe((s) => {
    for (const r of s.review.runs.find((x) => x.id === runId)?.results ?? []) {
      if ((r.status === 'done' || r.status === 'failed') && !order.includes(r.key)) order.push(r.key);
    }
  });
  return order;
}

/** The item each line of the file answers ("Item n:" in its question). */
const itemsOf = (lines: readonly Record<string, unknown>[]): string[] => lines.map((l) => `item-${/Item (\d+):/.exec(String(l.question))![1]!}`);

describe('a batch run with a results file', () => {
  it('appends each result once, as it finishes, in order of finishing; one valid reference line per item; the file is closed at the end', async () => {
    const files = new MemoryResultsFiles();
    // Item 1 looks at the visual prompt first (two rounds), so item 2 finishes before it.
    const lookFirst = reply('<think>Look first.</think>', [{ name: 'view_visual_prompt', arguments: '{"frame_path": "street/frame_000005.jpg"}' }]);
    const setup = await setUp(files, { respond: (asked) => (asked.itemId === 'item-1' && asked.round === 0 ? lookFirst : answerB(asked)) });
    const { store, client } = setup;
    client.hold = true;
    const runId = await startWithFile(store, files);
    const order = finishOrder(store, runId);
    expect(files.offered[0]!.mode).toBe('new');

    // One request at a time: after each finish, the file has exactly the results finished so far.
    while (store.getState().batch.driving.includes(runId)) {
      await until(store, (s) => client.held > 0 || !s.batch.driving.includes(runId), 'a request waits');
      client.release(1);
      await settleABit(5);
      const done = order.length;
      await until(store, () => files.lines(FILE).length === done, `${done} lines in the file`);
    }
    const run = runOf(store, runId);
    expect(run.state).toBe('done');
    expect(order).toEqual(['item-2', 'item-1', 'item-3', 'item-4', 'item-5']);
    const lines = files.lines(FILE);
    expect(itemsOf(lines)).toEqual(order);
    // The reference client's record (§4.2), readable as results again.
    expect(lines[0]).toMatchObject({ video_id: 'street', answer: 'B', response: '<think>He walks fast.</think><answer>B</answer>', predict: 'B', correct: true, num_rounds: 1, tool_calls: [], model: 'vs-8b' });
    expect(lines[1]).toMatchObject({ num_rounds: 2, tool_calls: [{ name: 'view_visual_prompt', arguments: { frame_path: 'street/frame_000005.jpg' } }] });
    expect(parseResultLines(files.files.get(FILE)!).problems).toEqual([]);
    expect(run.resultsFile).toEqual({ name: FILE, written: order, failed: [], problem: null });
    await until(store, (s) => s.resultsFile.open.length === 0, 'the file is closed');
    expect(files.closed).toEqual([FILE]);
  });

  it('results finishing while an append is on its way go together in the next one, still in order', async () => {
    const files = new MemoryResultsFiles();
    const { store } = await setUp(files);
    files.hold = true;
    const runId = await startWithFile(store, files, 5);
    const order = finishOrder(store, runId);
    await until(store, () => files.held === 1, 'the first append waits');
    await until(store, (s) => !s.batch.driving.includes(runId), 'every item finished');
    files.hold = false;
    files.release();
    await until(store, () => files.lines(FILE).length === 5, 'five lines');
    expect(files.appends.length).toBe(2);
    expect(itemsOf(files.lines(FILE))).toEqual(order);
    expect(runOf(store, runId).resultsFile?.written).toEqual(order);
  });

  it('gets the results that finished before it was given the file, then the rest as they finish', async () => {
    const files = new MemoryResultsFiles();
    const { store, client } = await setUp(files);
    client.hold = true;
    files.picks.push(FILE);
    await store.getState().chooseResultsFile();
    const runId = (await store.getState().startBatch(FIVE.map((i) => i.id)))!;
    await until(store, () => client.held === 2, 'two requests wait');
    client.release(2);
    await until(store, (s) => (s.review.runs.find((r) => r.id === runId)?.results.filter((r) => r.status === 'done').length ?? 0) === 2, 'two done');
    expect(files.lines(FILE)).toEqual([]);
    store.getState().useNextResultsFile(runId);
    await until(store, () => files.lines(FILE).length === 2, 'the two written');
    client.hold = false;
    client.release(5);
    await until(store, () => files.lines(FILE).length === 5, 'all five written');
    expect(new Set(itemsOf(files.lines(FILE))).size).toBe(5);
  });
});

describe('after a reload', () => {
  it('the run says which file it wrote and how far; reopening it appends only the results it lacks, each once', async () => {
    const files = new MemoryResultsFiles();
    const projects = memoryProjects();
    const first = await setUp(files, { projects });
    first.client.hold = true;
    const runId = await startWithFile(first.store, files);
    await until(first.store, () => first.client.held === 2, 'two requests wait');
    first.client.release(1);
    await until(first.store, () => files.lines(FILE).length === 1, 'one line');
    await first.store.getState().saveNow();
    // The page goes away with item 2 in flight; a second finish reaches the file, not the project.
    first.projects.crash();
    first.client.release(1);
    await until(first.store, () => files.lines(FILE).length === 2, 'two lines');
    first.store.getState().abortBatches();

    const second = await reviewStore({ projects, media: first.media, resultsFiles: files });
    const run = runOf(second.store, runId);
    expect(run.state).toBe('interrupted');
    expect(run.resultsFile).toEqual({ name: FILE, written: ['item-1'], failed: [], problem: null });
    expect(second.store.getState().resultsFile.open).toEqual([]);

    // Reopen: the dialog offers the same name, to add to it.
    await second.store.getState().reopenResultsFile(runId);
    expect(files.offered.at(-1)).toEqual({ name: FILE, mode: 'add' });
    expect(second.store.getState().resultsFile.open).toEqual([runId]);
    second.store.getState().resumeBatch(runId);
    await until(second.store, (s) => !s.batch.driving.includes(runId), 'the run finishes');
    await until(second.store, () => files.lines(FILE).length === 5, 'five lines');
    await settleABit();
    const lines = files.lines(FILE);
    // Item 2 was asked again after the reload (its finish was not saved), yet the file has it once.
    expect(itemsOf(lines).sort()).toEqual(['item-1', 'item-2', 'item-3', 'item-4', 'item-5']);
    expect(runOf(second.store, runId).resultsFile?.written.slice().sort()).toEqual(['item-1', 'item-2', 'item-3', 'item-4', 'item-5']);
  });

  it('a reopened file that already has results the run recorded as unwritten gets only the others', async () => {
    const files = new MemoryResultsFiles();
    const projects = memoryProjects();
    const first = await setUp(files, { projects });
    const runId = await startWithFile(first.store, files, 5);
    await until(first.store, (s) => !s.batch.driving.includes(runId), 'done');
    await until(first.store, () => files.lines(FILE).length === 5, 'five lines');
    // The run as saved before any line was recorded (the page went away first).
    await first.store.getState().saveNow();
    const saved = projects;
    const second = await reviewStore({ projects: saved, media: first.media, resultsFiles: files });
    second.store.getState().updateRun(runId, (r) => ({ ...r, resultsFile: { name: FILE, written: [], failed: [], problem: null } }));
    await second.store.getState().reopenResultsFile(runId);
    await settleABit();
    expect(files.lines(FILE)).toHaveLength(5);
    expect(runOf(second.store, runId).resultsFile?.written).toHaveLength(5);
  });
});

describe('bad input', () => {
  it('a file that cannot be written any more: the run goes on, every result stays in the project, the run says why and how far the file got', async () => {
    const files = new MemoryResultsFiles();
    const { store, client } = await setUp(files);
    client.hold = true;
    const runId = await startWithFile(store, files);
    await until(store, () => client.held === 2, 'two requests wait');
    client.release(1);
    await until(store, () => files.lines(FILE).length === 1, 'one line');
    files.failing.set(FILE, new DOMException('A requested file or directory could not be found at the time an operation was processed.', 'NotFoundError'));
    client.hold = false;
    client.release(5);
    await until(store, (s) => !s.batch.driving.includes(runId), 'the run finishes');
    await settleABit();
    const run = runOf(store, runId);
    expect(run.state).toBe('done');
    expect(run.results.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(run.resultsFile?.problem).toBe('A requested file or directory could not be found at the time an operation was processed.');
    expect(run.resultsFile?.written).toHaveLength(1);
    expect(store.getState().resultsFile.open).toEqual([]);
    expect(files.lines(FILE)).toHaveLength(1);

    // Picked again (another place): the file gets every result, the problem is gone.
    files.picks.push('elsewhere.jsonl');
    await store.getState().reopenResultsFile(runId);
    await until(store, () => files.lines('elsewhere.jsonl').length === 5, 'five lines elsewhere');
    expect(runOf(store, runId).resultsFile).toMatchObject({ name: 'elsewhere.jsonl', problem: null });
  });

  it('a failed item asked again gets a new line after its failed one', async () => {
    const files = new MemoryResultsFiles();
    let down = true;
    const setup = await setUp(files, { respond: (asked) => (down && asked.itemId === 'item-3' ? failure('server', 500, null, 'Internal server error') : answerB(asked)) });
    const { store } = setup;
    const runId = await startWithFile(store, files);
    await until(store, (s) => !s.batch.driving.includes(runId), 'the run stops');
    await until(store, () => files.lines(FILE).length === 5, 'five lines');
    expect(files.lines(FILE).find((l) => l.error !== undefined)).toMatchObject({ response: null, predict: null });
    down = false;
    store.getState().retryFailed(runId);
    await until(store, (s) => !s.batch.driving.includes(runId) && runOf(store, runId).state === 'done', 'the retry finishes');
    // The file was closed when the run first ended: reopened, it gets the new answer only.
    await store.getState().reopenResultsFile(runId);
    await until(store, () => files.lines(FILE).length === 6, 'six lines');
    const last = files.lines(FILE).at(-1)!;
    expect(itemsOf([last])).toEqual(['item-3']);
    expect(last).toMatchObject({ predict: 'B', correct: true });
  });

  it('a cancelled save dialog chooses nothing; without File System Access there is nothing to choose', async () => {
    const files = new MemoryResultsFiles();
    const { store } = await setUp(files);
    files.picks.push(null);
    await store.getState().chooseResultsFile();
    expect(store.getState().resultsFile).toMatchObject({ next: null, busy: false, error: null, available: true });
    const none = await reviewStore();
    expect(none.store.getState().resultsFile.available).toBe(false);
  });
});
