/**
 * The ask slice with the real loop (runAgent) between a scripted endpoint and a fake video:
 * queries are filed, saved with the project and restored, settings stay on this machine, the
 * every-style group runs a bounded number at a time and shares its frames.
 */
import { memoryMediaFor } from '../testing/memoryMedia';
import { describe, expect, it } from 'vitest';
import { FakeClient, FakeClock, reply, type Step } from '../testing/agentFakes';
import type { ChatClient } from '../core/agent/ports';
import { memoryPreferences, noFiles } from '../testing/agentTestDeps';
import { idleSegmenter } from '../testing/segmenterStubs';
import { addStreetObjects, streetVideo, type EncodeCall } from '../testing/streetVideo';
import { memoryProjects } from '../testing/memoryProjects';
import { createAppStore, type AppStore } from './appStore';

const VIDEOSEEKER: Step[] = [
  reply('<think>Look first.</think>', [{ name: 'view_visual_prompt', arguments: '{"frame_path": "street/frame_000005.jpg"}' }]),
  reply('<think>He walks.</think><answer>B</answer>'),
];

async function setUp(steps: Step[] = VIDEOSEEKER, options: { projects?: ReturnType<typeof memoryProjects>; preferences?: ReturnType<typeof memoryPreferences> } = {}) {
  const clock = new FakeClock();
  const clients: { baseUrl: string; apiKey: string }[] = [];
  const client = new FakeClient(steps, clock);
  const encodeLog: EncodeCall[] = [];
  const projects = options.projects ?? memoryProjects();
  const preferences = options.preferences ?? memoryPreferences({ 'videoseeker.endpoint.v1': { baseUrl: 'http://gpu:8000/v1', apiKey: 'sk-secret', model: 'vs-8b' } });
  const store = createAppStore({
    videoOpener: streetVideo(encodeLog),
    clock: { now: () => 0, nextFrame: () => () => {} },
    segmenter: idleSegmenter,
    projects,
    media: memoryMediaFor(projects),
    chatClient: (endpoint): ChatClient => {
      clients.push(endpoint);
      return client;
    },
    agentClock: clock,
    preferences,
    files: noFiles,
  });
  await store.getState().startup({ kind: 'url', url: 'http://x/street.mp4' });
  return { store, client, clients, encodeLog, projects, preferences };
}


async function settled(store: AppStore): Promise<void> {
  for (let i = 0; i < 200 && store.getState().ask.running.length > 0; i++) await new Promise((r) => setTimeout(r, 1));
  await store.getState().saveNow();
}

describe('asking', () => {
  it('says why it cannot ask yet, then runs the loop with the endpoint settings and the key', async () => {
    const { store, clients } = await setUp();
    expect(await store.getState().askQuestion()).toBeNull();
    expect(store.getState().ask.error).toMatch(/Add an object/);
    addStreetObjects(store);
    store.getState().setDraft({ question: 'What is <vp> doing?' });
    const id = await store.getState().askQuestion();
    await settled(store);
    const q = store.getState().ask.queries.find((x) => x.id === id)!;
    expect(q.trajectory.status).toBe('done');
    expect(q.trajectory.answer).toBe('B');
    expect(q.sentQuestion).toBe('What is the target in the highlighted box doing?');
    expect(q.visualPrompt).toEqual({ type: 'rectangle', frame: 5, colour: '#ff2d2d' });
    expect(q.model).toBe('vs-8b');
    expect(clients[0]).toEqual({ baseUrl: 'http://gpu:8000/v1', apiKey: 'sk-secret' });
    expect(store.getState().ask.selectedId).toBe(id);
  });

  it('saves every query with the project, without the API key, and a reload brings them back', async () => {
    const projects = memoryProjects();
    const preferences = memoryPreferences({ 'videoseeker.endpoint.v1': { apiKey: 'sk-secret' } });
    const { store } = await setUp(VIDEOSEEKER, { projects, preferences });
    addStreetObjects(store);
    store.getState().setDraft({ question: 'What is <vp> doing?' });
    await store.getState().askQuestion();
    await settled(store);
    const doc = await projects.loadDocument(store.getState().project.current!.id);
    const saved = doc?.work[doc.openVideoId!];
    expect(saved?.queries).toHaveLength(1);
    expect(JSON.stringify(saved)).not.toContain('sk-secret');

    const again = await setUp([], { projects, preferences });
    expect(again.store.getState().ask.queries).toEqual(saved!.queries);
    expect(again.store.getState().ask.settings.apiKey).toBe('sk-secret');
  });

  it('a query that was running when the page closed comes back as interrupted', async () => {
    const projects = memoryProjects();
    const { store } = await setUp([{ kind: 'hang', chunks: [] }], { projects });
    addStreetObjects(store);
    store.getState().setDraft({ question: 'What is <vp> doing?' });
    await store.getState().askQuestion();
    for (let i = 0; i < 50 && store.getState().ask.queries[0]!.trajectory.status !== 'running'; i++) await new Promise((r) => setTimeout(r, 1));
    await store.getState().saveNow();
    const again = await setUp([], { projects });
    const q = again.store.getState().ask.queries[0]!;
    expect(q.trajectory.status).toBe('interrupted');
    expect(q.trajectory.problems.at(-1)?.message).toMatch(/Interrupted/);
    store.getState().cancelQuery(store.getState().ask.queries[0]!.id);
  });

  it('cancel keeps the partial trajectory; retry runs the query again', async () => {
    const partial = reply('<think>Partial');
    if (partial.kind !== 'reply') throw new Error('reply() makes a reply');
    const { store } = await setUp([{ kind: 'hang', chunks: partial.chunks.slice(0, 2) }, ...VIDEOSEEKER]);
    addStreetObjects(store);
    store.getState().setDraft({ question: 'What is <vp> doing?' });
    const id = (await store.getState().askQuestion())!;
    for (let i = 0; i < 50 && !store.getState().ask.queries[0]!.trajectory.rounds[0]?.content; i++) await new Promise((r) => setTimeout(r, 1));
    store.getState().cancelQuery(id);
    await settled(store);
    const cancelled = store.getState().ask.queries[0]!.trajectory;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.rounds[0]!.content.length).toBeGreaterThan(0);
    expect('<think>Partial').toContain(cancelled.rounds[0]!.content);
    await store.getState().retryQuery(id);
    await settled(store);
    expect(store.getState().ask.queries[0]!.trajectory).toMatchObject({ status: 'done', answer: 'B' });
  });

  it('settings are validated and kept on this machine only', async () => {
    const { store, preferences } = await setUp();
    store.getState().updateSettings({ temperature: 0.7, maxToolRounds: 3 });
    expect(preferences.values['videoseeker.endpoint.v1']).toMatchObject({ temperature: 0.7, maxToolRounds: 3, apiKey: 'sk-secret' });
    store.getState().updateSettings({ temperature: -5 });
    expect(store.getState().ask.settings.temperature).toBe(0); // out of range: the default
    store.getState().resetSettings();
    expect(store.getState().ask.settings).toMatchObject({ temperature: 0, maxToolRounds: 5, apiKey: 'sk-secret', baseUrl: 'http://localhost:8000/v1' });
  });
});

describe('ask with every style', () => {
  it('asks under each chosen type in one group, two at a time, encoding the question frames once', async () => {
    const steps = Array.from({ length: 8 }, () => reply('<think>ok</think><answer>B</answer>'));
    const { store, encodeLog } = await setUp(steps);
    addStreetObjects(store);
    store.getState().setDraft({ question: 'What is <vp> doing?' });
    let maxRunning = 0;
    const unsubscribe = store.subscribe((s) => {
      maxRunning = Math.max(maxRunning, s.ask.running.length);
    });
    await store.getState().askEveryStyle();
    unsubscribe();
    const queries = store.getState().ask.queries;
    expect(queries.map((q) => q.visualPrompt.type)).toEqual(['rectangle', 'mask_contour', 'ellipse', 'triangle', 'scribble', 'point', 'arrow', 'set_of_mark']);
    expect(new Set(queries.map((q) => q.group)).size).toBe(1);
    expect(queries.every((q) => q.trajectory.status === 'done')).toBe(true);
    expect(queries[7]!.sentQuestion).toBe('What is the target marked with number 1 doing?');
    expect(maxRunning).toBe(2);
    // The 20 question frames (20 s at 1 fps) were encoded once for all eight queries.
    expect(encodeLog.filter((e) => e.indices.length === 20)).toHaveLength(1);
    expect(store.getState().ui.dialog).toBe('styles');
  });

  it('a subset asks only the chosen types; none chosen is refused', async () => {
    const steps = Array.from({ length: 2 }, () => reply('<think>ok</think><answer>B</answer>'));
    const { store } = await setUp(steps);
    addStreetObjects(store);
    store.getState().setDraft({ question: 'What is <vp> doing?', styles: ['arrow', 'point'] });
    await store.getState().askEveryStyle();
    expect(store.getState().ask.queries.map((q) => q.visualPrompt.type)).toEqual(['point', 'arrow']);
    store.getState().setDraft({ styles: [] });
    await store.getState().askEveryStyle();
    expect(store.getState().ask.error).toMatch(/at least one/);
  });
});
