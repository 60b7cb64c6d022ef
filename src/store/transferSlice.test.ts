/**
 * Importing a V2P-Bench dataset_info.json through the store: a file over the dataset limit is
 * refused before it is read; one with more items than the threshold waits for the user's choice
 * (cancel changes nothing, add appends, a new project keeps them apart); progress is shown while
 * it is read and checked.
 */
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES } from '../core/formats/zipPaths';
import { CONFIRM_IMPORT_ITEMS, type DatasetImportProgress } from '../core/qa/datasetImport';
import type { V2pRecord } from '../core/qa/v2p';
import { agentTestDeps, noFiles } from '../testing/agentTestDeps';
import { memoryProjects } from '../testing/memoryProjects';
import { qaItem } from '../testing/qaTestKit';
import { idleSegmenter } from '../testing/segmenterStubs';
import { streetVideo } from '../testing/streetVideo';
import { createAppStore, type AppStore } from './appStore';
import type { AppDeps } from './deps';

const record = (i: number): V2pRecord => ({
  video_id: `v_${i % 7}`,
  video_path: `S/v_${i % 7}.mp4`,
  duration: 20,
  question: `What happens in clip ${i}?`,
  answer: 'It stops.',
  source: 'S',
  frame_path: `S/f_${i}.jpg`,
  dimension: 9,
  category: 1,
});

const datasetFile = (count: number, name = 'dataset_info.json'): File => new File([JSON.stringify(Array.from({ length: count }, (_, i) => record(i)))], name, { type: 'application/json' });

/** A store on the street video with one QA item; `parse` stands in for the worker (default: the core's parser on this thread). */
async function setUp(parse: AppDeps['files']['parseDataset'] = noFiles.parseDataset) {
  const projects = memoryProjects();
  const progress: DatasetImportProgress[] = [];
  let parses = 0;
  const store = createAppStore({
    videoOpener: streetVideo(),
    clock: { now: () => 0, nextFrame: () => () => {} },
    segmenter: idleSegmenter,
    projects,
    ...agentTestDeps(),
    files: {
      ...noFiles,
      parseDataset: (file, name, onProgress) => {
        parses++;
        return parse(file, name, (p) => {
          progress.push(p);
          onProgress(p);
        });
      },
    },
  });
  await store.getState().startup({ kind: 'url', url: 'http://x/street.mp4' });
  store.getState().addQaItems([qaItem({ id: 'own', instanceId: null })]);
  await store.getState().saveNow();
  return { store, projects, progress, parses: () => parses };
}

/** Resolves once the import asks (or has ended). */
async function asked(store: AppStore): Promise<void> {
  for (let i = 0; i < 500 && store.getState().transfer.confirm === null && store.getState().transfer.busy !== null; i++) await new Promise((r) => setTimeout(r, 2));
}

describe('importing a dataset_info.json', () => {
  it('refuses a file over the dataset limit before reading it, naming the file, its size and the limit', async () => {
    const { store, parses } = await setUp();
    const big = new File([new Uint8Array(MAX_IMPORT_BYTES.dataset + 1024 * 1024)], 'huge_benchmark.json');
    await store.getState().importDataset(big);
    expect(store.getState().qa.error).toBe('Nothing was imported: "huge_benchmark.json" is 65 MiB, more than the 64 MiB allowed for a dataset_info.json');
    expect(parses()).toBe(0);
    expect(store.getState().qa.history.present).toHaveLength(1);
    expect(store.getState().transfer.busy).toBeNull();
  });

  it('adds a small file at once, with progress while it is read and checked', async () => {
    const { store, progress } = await setUp();
    await store.getState().importDataset(datasetFile(300));
    expect(store.getState().qa.history.present).toHaveLength(301);
    expect(store.getState().qa.report).toMatch(/^Imported 300 QA items from dataset_info\.json\. Videos: 0 of 7 found/);
    expect(progress.map((p) => p.phase)).toContain('checking');
    expect(progress.at(-1)).toEqual({ phase: 'checking', done: 300, total: 300 });
    expect(store.getState().transfer.importProgress).toBeNull();
  });

  it('shows no progress once the file is read, even when a report arrives after the result', async () => {
    let late: (() => void) | null = null;
    const { store } = await setUp(async (file, name, onProgress) => {
      const parsed = await noFiles.parseDataset(file, name, () => {});
      late = () => onProgress({ phase: 'checking', done: 10, total: 300 });
      return parsed;
    });
    await store.getState().importDataset(datasetFile(300));
    late!();
    expect(store.getState().transfer.importProgress).toBeNull();
  });

  it('asks before adding more than the threshold: cancel changes nothing', async () => {
    const { store, projects } = await setUp();
    const before = store.getState().qa.history.present;
    const done = store.getState().importDataset(datasetFile(CONFIRM_IMPORT_ITEMS + 1, 'bench.json'));
    await asked(store);
    expect(store.getState().transfer.confirm).toEqual({ name: 'bench.json', count: CONFIRM_IMPORT_ITEMS + 1, projectName: 'bench' });
    expect(store.getState().qa.history.present).toBe(before);
    store.getState().chooseImport('cancel');
    await done;
    expect(store.getState().qa.history.present).toBe(before);
    expect(store.getState().transfer).toMatchObject({ busy: null, confirm: null });
    expect((await projects.list()).length).toBe(1);
  });

  it('adds them to this project when asked to, as one undoable step', async () => {
    const { store } = await setUp();
    const done = store.getState().importDataset(datasetFile(CONFIRM_IMPORT_ITEMS + 1));
    await asked(store);
    store.getState().chooseImport('add');
    await done;
    expect(store.getState().qa.history.present).toHaveLength(CONFIRM_IMPORT_ITEMS + 2);
    store.getState().undoQa();
    expect(store.getState().qa.history.present).toHaveLength(1);
  });

  it('or puts them in a new project, leaving the open one as it was', async () => {
    const { store, projects } = await setUp();
    const first = store.getState().project.current!;
    const done = store.getState().importDataset(datasetFile(CONFIRM_IMPORT_ITEMS + 1, 'bench.json'));
    await asked(store);
    store.getState().chooseImport('new-project');
    await done;
    expect(store.getState().project.current?.name).toBe('bench');
    expect(store.getState().qa.history.present).toHaveLength(CONFIRM_IMPORT_ITEMS + 1);
    expect(store.getState().qa.report).toMatch(/They are in the new project “bench”\.$/);
    expect((await projects.loadDocument(first.id))?.qaItems).toHaveLength(1);
  });
});
