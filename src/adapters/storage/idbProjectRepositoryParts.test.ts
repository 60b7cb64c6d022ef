// @vitest-environment node
/**
 * A save writes only the parts of a project that changed: an edit on one video of a large dataset
 * writes that video's work record and nothing else of the project (its meta aside).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { emptyDocument, type ProjectDocument, type ProjectVideo, type VideoWork } from '../../core/project/document';
import { QA_CHUNK } from './idbProjectRepository';
import { CLIP_WORK } from '../../testing/documentFixtures';
import { closeRepositories, fresh, rawRecords, rawWork, recordPuts, repositoryOver } from '../../testing/idbTestKit';
import { qaItem } from '../../testing/qaTestKit';

afterEach(closeRepositories);

const VIDEOS = 200;

const videoId = (n: number): string => `video-${n}`;

function video(n: number): ProjectVideo {
  return { id: videoId(n), path: `Source/clip_${n}.mp4`, byteLength: 1000 + n, facts: { width: 4, height: 3, frameCount: 10, fps: 25, durationS: 0.4 }, problem: null };
}

/** Video n's work: CLIP_WORK with the object renamed, so every record differs. */
function workOf(n: number): VideoWork {
  return { ...CLIP_WORK, instances: CLIP_WORK.instances.map((i) => ({ ...i, name: `${i.name} of ${n}` })) };
}

/** 200 videos, work on each, an item per video. */
function dataset(): ProjectDocument {
  const ns = Array.from({ length: VIDEOS }, (_, n) => n);
  return {
    version: 3,
    videos: ns.map(video),
    openVideoId: videoId(0),
    work: Object.fromEntries(ns.map((n) => [videoId(n), workOf(n)])),
    qaItems: ns.map((n) => qaItem({ id: `qa-${n}`, instanceId: 'a', projectVideoId: videoId(n) })),
    runs: [],
    judgements: {},
  };
}

describe('idbProjectRepository: writing what changed', () => {
  it('writes one part after an edit on one video of 200, leaving the other videos’ records as they were', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Dataset');
    const first = dataset();
    const all = await recordPuts(() => repo.saveDocument(p.id, first));
    expect(all.counts).toEqual({ documents: 1, work: VIDEOS, qa: 1, projects: 1 });
    expect(repo.lastSaveStats()?.writtenParts).toBe(VIDEOS + 2);
    const before = await rawWork(dbName, p.id);

    // The user adds a point on video 57.
    const edited = { ...first.work[videoId(57)]!, frames: { ...first.work[videoId(57)]!.frames, 'a@9': { prompts: [{ kind: 'point' as const, x: 1, y: 1, positive: true }], mask: null } } };
    const next: ProjectDocument = { ...first, work: { ...first.work, [videoId(57)]: edited } };
    const one = await recordPuts(() => repo.saveDocument(p.id, next));
    expect(repo.lastSaveStats()?.writtenParts).toBe(1);
    expect(one.counts).toEqual({ work: 1, projects: 1 });
    expect(one.keys.work).toEqual([[p.id, videoId(57)]]);
    console.info(`saveDocument after one edit in a ${VIDEOS}-video project: ${repo.lastSaveStats()!.ms.toFixed(1)} ms`);

    const after = await rawWork(dbName, p.id);
    expect(after.size).toBe(VIDEOS);
    expect(after.get(videoId(57))).toEqual(edited);
    for (const [id, record] of before) if (id !== videoId(57)) expect(after.get(id), id).toEqual(record);
    expect(await repositoryOver(dbName).loadDocument(p.id)).toEqual(next);

    // Saving the same document again writes no part.
    const same = await recordPuts(() => repo.saveDocument(p.id, next));
    expect(same.counts).toEqual({ projects: 1 });
    expect(repo.lastSaveStats()?.writtenParts).toBe(0);
  });

  it('deletes the record of a video whose work is gone, and only that one', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Dataset');
    const first = dataset();
    await repo.saveDocument(p.id, first);
    // Everything on video 3 was undone: its work leaves the document (the video stays).
    const { [videoId(3)]: _cleared, ...rest } = first.work;
    const next: ProjectDocument = { ...first, work: rest, qaItems: first.qaItems.map((item) => (item.projectVideoId === videoId(3) ? { ...item, instanceId: null } : item)) };
    const puts = await recordPuts(() => repo.saveDocument(p.id, next));
    expect(puts.counts).toEqual({ qa: 1, projects: 1 });
    const after = await rawWork(dbName, p.id);
    expect(after.size).toBe(VIDEOS - 1);
    expect(after.has(videoId(3))).toBe(false);
    expect(after.has(videoId(4))).toBe(true);
    const loaded = await repositoryOver(dbName).loadDocument(p.id);
    expect(loaded).toEqual(next);
    expect(loaded!.videos).toHaveLength(VIDEOS);
  });

  it('writes the QA items only when the array changed', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Dataset');
    const first = dataset();
    await repo.saveDocument(p.id, first);

    // Another edit keeps the same array: not written.
    const switched: ProjectDocument = { ...first, openVideoId: videoId(1) };
    expect((await recordPuts(() => repo.saveDocument(p.id, switched))).counts).toEqual({ documents: 1, projects: 1 });
    // A new array (one item edited) is written, once.
    const items = switched.qaItems.map((item, i) => (i === 10 ? { ...item, answer: 'C' } : item));
    const changed: ProjectDocument = { ...switched, qaItems: items };
    expect((await recordPuts(() => repo.saveDocument(p.id, changed))).counts).toEqual({ qa: 1, projects: 1 });
    expect(repo.lastSaveStats()?.writtenParts).toBe(1);
    expect(((await rawRecords(dbName, p.id)).qa as { answer: string }[])[10]!.answer).toBe('C');
    expect((await recordPuts(() => repo.saveDocument(p.id, changed))).counts).toEqual({ projects: 1 });
  });

  it('writes only the chunk of QA items an edit touched, and drops chunks past the end when items go', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Benchmark');
    const items = Array.from({ length: 1169 }, (_, n) => qaItem({ id: `item-${n}`, instanceId: null, projectVideoId: null }));
    const doc: ProjectDocument = { ...emptyDocument(), qaItems: items };
    await repo.saveDocument(p.id, doc);
    expect((await rawRecords(dbName, p.id)).qa).toHaveLength(1169);
    // Item 1000 is in the fourth chunk: that chunk alone is written.
    const edited: ProjectDocument = { ...doc, qaItems: items.map((item, i) => (i === 1000 ? { ...item, notes: 'checked' } : item)) };
    const puts = await recordPuts(() => repo.saveDocument(p.id, edited));
    expect(puts.counts).toEqual({ qa: 1, projects: 1 });
    expect(puts.keys.qa).toEqual([[p.id, Math.floor(1000 / QA_CHUNK)]]);
    expect(((await rawRecords(dbName, p.id)).qa as { notes: string }[])[1000]!.notes).toBe('checked');
    expect((await repositoryOver(dbName).loadDocument(p.id))!.qaItems).toEqual(edited.qaItems);
    // Fewer items: the chunks past the end go; a bad item is named by its place in the whole list.
    const fewer: ProjectDocument = { ...edited, qaItems: edited.qaItems.slice(0, 300) };
    await repo.saveDocument(p.id, fewer);
    expect((await repositoryOver(dbName).loadDocument(p.id))!.qaItems).toEqual(fewer.qaItems);
    const bad = { ...fewer, qaItems: fewer.qaItems.map((item, i) => (i === 290 ? { ...item, answer: 7 } : item)) } as unknown as ProjectDocument;
    await expect(repo.saveDocument(p.id, bad)).rejects.toThrow(/qaItems\[290\]\.answer/);
  });
});
