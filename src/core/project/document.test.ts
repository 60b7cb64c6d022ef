import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PendingPropagation } from '../propagation/pendingRun';
import type { ReviewRun } from '../review/run';
import { v1Document, v3Document } from '../../testing/documentArbitraries';
import { CLIP_WORK, DATASET as valid, OTHER_WORK, V1_DOCUMENT } from '../../testing/documentFixtures';
import { importedRun, runResult } from '../../testing/reviewFixtures';
import { EMPTY_WORK, emptyDocument, isEmptyWork, parseDocument, parseProjectMeta, parseVideoWork, type ProjectDocument, type VideoWork } from './document';
import { StorageQuotaError, formatByteSize } from './repository';

/** The work whose fields the tables below break, and where it is in `valid`. */
const WORK_ID = 'video-1';
const AT_WORK = 'work["video-1"].';

const DELETE = Symbol('delete');
type Path = readonly (string | number)[];

/** A JSON copy of `base` with the value at `path` replaced by `value` (or deleted). */
function brokenIn(base: unknown, path: Path, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(base)) as unknown;
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === DELETE) Reflect.deleteProperty(parent, last);
  else parent[last] = value;
  return copy;
}

const broken = (path: Path, value: unknown): unknown => brokenIn(valid, path, value);

function errorOf(json: unknown): string {
  const result = parseDocument(json);
  if (result.ok) throw new Error('expected the document to be rejected');
  return result.error;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `valid` with the work of WORK_ID replaced. */
function withWork(w: VideoWork): ProjectDocument {
  return { ...valid, work: { ...valid.work, [WORK_ID]: w } };
}

function run(id: string, keys: readonly string[] = ['line-1', 'line-2']): ReviewRun {
  return importedRun(
    id,
    keys.map((key) => runResult(key, { rawOutput: 'a cat' })),
  );
}

/**
 * Broken fields of one video's work, with the start of the message that names them. A version 3
 * document names them under `work["<video id>"]`, a version 1 document (its work at the top
 * level) without a prefix; both are checked below.
 */
const WORK_CASES: [string, Path, unknown, string][] = [
  ['instances not an array', ['instances'], {}, 'instances must be an array, found an object'],
  ['instance not an object', ['instances', 1], 3, 'instances[1] must be an object, found 3'],
  ['instance id empty', ['instances', 0, 'id'], '', 'instances[0].id must be a non-empty string'],
  ['instance name missing', ['instances', 1, 'name'], DELETE, 'instances[1].name must be a string'],
  ['instance color a number', ['instances', 0, 'color'], 5, 'instances[0].color'],
  ['instance visible a string', ['instances', 1, 'visible'], 'no', 'instances[1].visible must be true or false'],
  ['duplicate instance ids', ['instances', 1, 'id'], 'a', 'instances[1].id "a" is used by an earlier instance'],
  ['activeId a number', ['activeId'], 1, 'activeId must be a string, found 1'],
  ['activeId missing', ['activeId'], DELETE, 'activeId must be a string, found nothing'],
  ['activeId unknown', ['activeId'], 'zzz', 'activeId "zzz" is not the id of one of the instances'],
  ['frames an array', ['frames'], [], 'frames must be an object, found an array'],
  ['frame key without a frame', ['frames', 'a'], CLIP_WORK.frames['a@0'], 'frames.a is not a key of the form "instanceId@frame"'],
  ['frame key with a bad frame', ['frames', 'a@01'], CLIP_WORK.frames['a@0'], 'frames["a@01"] is not a key'],
  ['frame key with a negative frame', ['frames', 'a@-1'], CLIP_WORK.frames['a@0'], 'frames["a@-1"] is not a key'],
  ['frame of an unknown instance', ['frames', 'c@3'], CLIP_WORK.frames['a@0'], 'frames["c@3"] refers to instance "c", which is not in instances'],
  ['frame annotation null', ['frames', 'a@0'], null, 'frames["a@0"] must be an object, found null'],
  ['prompts missing', ['frames', 'a@0', 'prompts'], DELETE, 'frames["a@0"].prompts must be an array, found nothing'],
  ['prompt of an unknown kind', ['frames', 'a@0', 'prompts', 1, 'kind'], 'polygon', 'frames["a@0"].prompts[1].kind must be "point", "box" or "scribble", found "polygon"'],
  ['point x a string', ['frames', 'a@0', 'prompts', 0, 'x'], '1', 'frames["a@0"].prompts[0].x must be a finite number'],
  ['point positive missing', ['frames', 'a@0', 'prompts', 0, 'positive'], DELETE, 'frames["a@0"].prompts[0].positive'],
  ['box y1 null (NaN in JSON)', ['frames', 'a@0', 'prompts', 1, 'y1'], null, 'frames["a@0"].prompts[1].y1 must be a finite number, found null'],
  ['scribble path missing', ['frames', 'a@0', 'prompts', 2, 'path'], DELETE, 'frames["a@0"].prompts[2].path must be an array, found nothing'],
  ['scribble path of odd length', ['frames', 'a@0', 'prompts', 2, 'path'], [1, 2, 3], 'frames["a@0"].prompts[2].path must be [x0, y0, x1, y1, ...], found 3 values'],
  ['scribble coordinate a string', ['frames', 'a@0', 'prompts', 2, 'path', 3], '1.5', 'frames["a@0"].prompts[2].path[3] must be a finite number, found "1.5"'],
  ['mask missing', ['frames', 'b@x@7', 'mask'], DELETE, 'frames["b@x@7"].mask must be an object, found nothing'],
  ['mask score missing', ['frames', 'a@0', 'mask', 'score'], DELETE, 'frames["a@0"].mask.score must be a finite number'],
  ['rle missing', ['frames', 'a@0', 'mask', 'rle'], DELETE, 'frames["a@0"].mask.rle must be an object'],
  ['rle size of three values', ['frames', 'a@0', 'mask', 'rle', 'size'], [3, 4, 1], 'frames["a@0"].mask.rle.size must be [height, width], found 3 values'],
  ['rle size negative', ['frames', 'a@0', 'mask', 'rle', 'size'], [-3, 4], 'frames["a@0"].mask.rle.size[0] must be an integer >= 0'],
  ['rle counts a string (compressed)', ['frames', 'a@0', 'mask', 'rle', 'counts'], '52', 'frames["a@0"].mask.rle.counts must be an array'],
  ['rle count fractional', ['frames', 'a@0', 'mask', 'rle', 'counts', 1], 4.5, 'frames["a@0"].mask.rle.counts[1] must be an integer >= 0, found 4.5'],
  ['rle counts short of the size', ['frames', 'a@0', 'mask', 'rle', 'counts'], [2, 5], 'frames["a@0"].mask.rle.counts add up to 7 pixels, but size [3, 4] has 12'],
  ['a query with a bad round', ['queries', 0, 'trajectory', 'rounds', 1, 'content'], 42, 'queries[0].trajectory.rounds[1].content: '],
  ['a query with a bad prompt type', ['queries', 0, 'visualPrompt', 'type'], 'circle', 'queries[0].visualPrompt.type: '],
  ['queries an object', ['queries'], {}, 'queries: '],
  ['masklets of an unknown instance', ['masklets', 'zz'], {}, 'masklets["zz"] refers to instance "zz", which is not in instances'],
  ['a masklet with a mask where it is absent', ['masklets', 'a', '3', 'rle'], { size: [3, 4], counts: [12] }, 'masklets["a"]["3"].rle must be null when the state is "absent"'],
  ['a propagation with a bad step', ['propagationRun', 'step'], { kind: 'nth', k: 1 }, 'propagationRun.step.k: '],
];

describe('parseDocument', () => {
  it('accepts the empty document and a full one', () => {
    expect(parseDocument(emptyDocument())).toEqual({ ok: true, doc: emptyDocument() });
    expect(parseDocument(valid)).toEqual({ ok: true, doc: valid });
    expect(parseDocument(JSON.parse(JSON.stringify(valid)))).toEqual({ ok: true, doc: valid });
  });

  it('reads work saved before queries or propagation existed as having none', () => {
    expect(parseDocument(broken(['work', WORK_ID, 'queries'], DELETE))).toEqual({ ok: true, doc: withWork({ ...CLIP_WORK, queries: [] }) });
    expect(parseDocument(broken(['work', WORK_ID, 'masklets'], DELETE))).toEqual({ ok: true, doc: withWork({ ...CLIP_WORK, masklets: {} }) });
    const { propagationRun: _run, ...notRunning } = CLIP_WORK;
    expect(parseDocument(broken(['work', WORK_ID, 'propagationRun'], DELETE))).toEqual({ ok: true, doc: withWork(notRunning) });
  });

  it('reads documents saved without runs or judgements as having none', () => {
    const old = broken(['runs'], DELETE) as Record<string, unknown>;
    delete old.judgements;
    expect(parseDocument(old)).toEqual({ ok: true, doc: { ...valid, runs: [], judgements: {} } });
    expect(parseDocument(broken(['judgements'], DELETE))).toEqual({ ok: true, doc: { ...valid, judgements: {} } });
    expect(parseDocument(broken(['qaItems'], DELETE))).toEqual({ ok: true, doc: { ...valid, qaItems: [] } });
  });

  it('reads a video saved without a problem as having none', () => {
    const videos = [{ ...valid.videos[0]!, problem: null }, valid.videos[1]!];
    expect(parseDocument(broken(['videos', 0, 'problem'], DELETE))).toEqual({ ok: true, doc: { ...valid, videos } });
  });

  it('validates runs and judgements, naming the field, and drops judgements of runs it does not have', () => {
    expect(errorOf(broken(['runs', 1, 'results', 0, 'status'], 'lost'))).toMatch(/^runs\[1\]\.results\[0\]\.status: /);
    expect(errorOf(broken(['runs', 1, 'id'], 'r1'))).toBe('runs[1].id "r1" is used by an earlier run');
    expect(errorOf(broken(['judgements', 'r1', 'line-2', 'value'], 2))).toMatch(/^judgements\.r1\["line-2"\]\.value: /);
    expect(parseDocument(broken(['judgements', 'gone'], { 'line-1': { value: 1, note: '', at: 1 } }))).toEqual({ ok: true, doc: valid });
  });

  it('takes checked runs as they are', () => {
    const odd = { ...run('r1'), extra: 'not looked at' } as ReviewRun;
    const result = parseDocument({ ...valid, runs: [odd, valid.runs[1]] }, { checkedRuns: new Set([odd]) });
    expect(result.ok && result.doc.runs[0]).toBe(odd);
    // Otherwise it is checked and rebuilt like any other.
    expect(parseDocument({ ...valid, runs: [odd, valid.runs[1]] })).toEqual({ ok: true, doc: valid });
    expect(errorOf({ ...valid, runs: [odd, odd] })).toBe('runs[1].id "r1" is used by an earlier run');
  });

  it('keeps the record of a propagation that was running, without instances that are gone; names a bad field', () => {
    const pending: PendingPropagation = { instanceIds: ['a', 'gone'], direction: 'both', range: [0, 9], step: { kind: 'nth', k: 5 }, total: 9, done: 4, startedAt: 1 };
    const running = (p: unknown): unknown => broken(['work', WORK_ID, 'propagationRun'], p);
    const { propagationRun: _run, ...notRunning } = CLIP_WORK;
    expect(parseDocument(running(pending))).toEqual({ ok: true, doc: withWork({ ...CLIP_WORK, propagationRun: { ...pending, instanceIds: ['a'] } }) });
    expect(parseDocument(running({ ...pending, instanceIds: ['gone'] }))).toEqual({ ok: true, doc: withWork(notRunning) });
    expect(parseDocument(running(null))).toEqual({ ok: true, doc: withWork(notRunning) });
    expect(errorOf(running({ ...pending, direction: 'sideways' }))).toMatch(/^work\["video-1"\]\.propagationRun\.direction: /);
  });

  it('round-trips any valid document through JSON', () => {
    fc.assert(
      fc.property(v3Document, (doc) => {
        expect(parseDocument(JSON.parse(JSON.stringify(doc)))).toEqual({ ok: true, doc });
      }),
      { numRuns: 300 },
    );
  });

  it('drops fields it does not know', () => {
    const json = broken(['extra'], 1) as { videos: Record<string, unknown>[]; work: Record<string, { instances: Record<string, unknown>[] } & Record<string, unknown>> };
    json.videos[0]!.extra = 'x';
    json.work[WORK_ID]!.extra = 'x';
    json.work[WORK_ID]!.instances[0]!.extra = 'x';
    expect(parseDocument(json)).toEqual({ ok: true, doc: valid });
  });

  it('names an unknown or missing version', () => {
    expect(errorOf(broken(['version'], 2))).toBe('version 2 is not supported (this build reads versions 1 and 3)');
    expect(errorOf(broken(['version'], 4))).toBe('version 4 is not supported (this build reads versions 1 and 3)');
    expect(errorOf(broken(['version'], '3'))).toMatch(/^version "3" is not supported/);
    expect(errorOf(broken(['version'], DELETE))).toMatch(/^version is missing/);
  });

  it('rejects a value that is not an object', () => {
    expect(errorOf(null)).toBe('document must be an object, found null');
    expect(errorOf([valid])).toBe('document must be an object, found an array');
    expect(errorOf(JSON.stringify(valid))).toMatch(/^document must be an object, found "/);
  });

  it.each<[string, Path, unknown, string]>([
    ['videos missing', ['videos'], DELETE, 'videos must be an array, found nothing'],
    ['a video not an object', ['videos', 1], 'dog.webm', 'videos[1] must be an object, found "dog.webm"'],
    ['a video id empty', ['videos', 0, 'id'], '', 'videos[0].id must be a non-empty string, found ""'],
    ['duplicate video ids', ['videos', 1, 'id'], 'video-1', 'videos[1].id "video-1" is used by an earlier video'],
    ['duplicate video paths', ['videos', 1, 'path'], 'Source/clip.mp4', 'videos[1].path "Source/clip.mp4" is used by an earlier video'],
    ['a video path missing', ['videos', 0, 'path'], DELETE, 'videos[0].path must be a non-empty string, found nothing'],
    ['a video path going up', ['videos', 1, 'path'], '../a.mp4', 'videos[1].path must be a relative path like "Source/name.mp4", found "../a.mp4"'],
    ['an absolute video path', ['videos', 1, 'path'], '/a.mp4', 'videos[1].path must be a relative path like "Source/name.mp4", found "/a.mp4"'],
    ['a video path with an empty part', ['videos', 1, 'path'], 'Source//a.mp4', 'videos[1].path must be a relative path'],
    ['a video path with a "." part', ['videos', 1, 'path'], 'Source/./a.mp4', 'videos[1].path must be a relative path'],
    ['a video path ending in "/"', ['videos', 1, 'path'], 'Source/', 'videos[1].path must be a relative path'],
    ['a byteLength negative', ['videos', 0, 'byteLength'], -1, 'videos[0].byteLength must be an integer >= 0, found -1'],
    ['a byteLength missing', ['videos', 0, 'byteLength'], DELETE, 'videos[0].byteLength must be an integer >= 0, found nothing'],
    ['facts a string', ['videos', 0, 'facts'], '4x3', 'videos[0].facts must be an object, found "4x3"'],
    ['facts missing', ['videos', 0, 'facts'], DELETE, 'videos[0].facts must be an object, found nothing'],
    ['facts.width fractional', ['videos', 0, 'facts', 'width'], 1.5, 'videos[0].facts.width must be an integer >= 0, found 1.5'],
    ['facts.height a string', ['videos', 0, 'facts', 'height'], '3', 'videos[0].facts.height must be an integer >= 0, found "3"'],
    ['facts.frameCount null', ['videos', 0, 'facts', 'frameCount'], null, 'videos[0].facts.frameCount must be an integer >= 0, found null'],
    ['facts.fps missing', ['videos', 0, 'facts', 'fps'], DELETE, 'videos[0].facts.fps must be a finite number >= 0, found nothing'],
    ['facts.durationS negative', ['videos', 0, 'facts', 'durationS'], -2, 'videos[0].facts.durationS must be a finite number >= 0, found -2'],
    ['a problem not a string', ['videos', 1, 'problem'], 3, 'videos[1].problem must be a string, found 3'],
    ['openVideoId missing', ['openVideoId'], DELETE, 'openVideoId must be a string, found nothing'],
    ['openVideoId unknown', ['openVideoId'], 'video-9', 'openVideoId "video-9" is not the id of one of the videos'],
    ['work an array', ['work'], [], 'work must be an object, found an array'],
    ['work of an unknown video', ['work', 'x'], OTHER_WORK, 'work.x refers to video "x", which is not in videos'],
    ['work of an unknown video (quoted id)', ['work', 'video-9'], OTHER_WORK, 'work["video-9"] refers to video "video-9", which is not in videos'],
    ['work null', ['work', 'video-2'], null, 'work["video-2"] must be an object, found null'],
    ['an item naming an unknown video', ['qaItems', 1, 'projectVideoId'], 'ghost', 'qaItems[1].projectVideoId "ghost" is not the id of one of the videos'],
    ['an item naming a video by an empty id', ['qaItems', 0, 'projectVideoId'], '', 'qaItems[0].projectVideoId: '],
    ['an empty prompt image', ['qaItems', 1, 'promptImage'], '', 'qaItems[1].promptImage: '],
    ['duplicate item ids', ['qaItems', 2, 'id'], 'qa-1', 'qaItems[2].id "qa-1" is used by an earlier item'],
  ])('rejects %s, naming the field', (_case, path, value, message) => {
    expect(errorOf(broken(path, value))).toMatch(new RegExp(`^${escape(message)}`));
  });

  it.each(WORK_CASES)('rejects a video’s work with %s, naming the video and the field', (_case, path, value, message) => {
    expect(errorOf(broken(['work', WORK_ID, ...path], value))).toMatch(new RegExp(`^${escape(AT_WORK + message)}`));
  });

  it.each(WORK_CASES)('rejects a version 1 document with %s, naming the field', (_case, path, value, message) => {
    expect(errorOf(brokenIn(V1_DOCUMENT, path, value))).toMatch(new RegExp(`^${escape(message)}`));
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        const result = parseDocument(json);
        expect(typeof result.ok).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(fc.oneof(v3Document, v1Document), fc.anything(), fc.nat(), (doc, junk, pick) => {
        // Replace one value somewhere in a valid document with anything at all.
        const json = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
        const paths: (string | number)[][] = [];
        const walk = (v: unknown, path: (string | number)[]): void => {
          paths.push(path);
          if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
          else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
        };
        walk(json, []);
        const path = paths[pick % paths.length]!;
        if (path.length === 0) return;
        let parent = json as Record<string | number, unknown>;
        for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
        parent[path[path.length - 1]!] = junk;
        expect(() => parseDocument(json)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('does not let a "__proto__" video id or frame key change the prototype', () => {
    const instance = '{"id":"__proto__","name":"x","color":"#fff","visible":true}';
    const w = `{"instances":[${instance}],"activeId":null,"frames":{"__proto__@1":{"prompts":[],"mask":null}}}`;
    const json = JSON.parse(`{"version":3,"videos":[{"id":"__proto__","path":"a.mp4","byteLength":null,"facts":null,"problem":null}],"openVideoId":"__proto__","work":{"__proto__":${w}}}`);
    const result = parseDocument(json);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.getPrototypeOf(result.doc.work)).toBe(Object.prototype);
    expect(Object.keys(result.doc.work)).toEqual(['__proto__']);
    const frames = Object.getOwnPropertyDescriptor(result.doc.work, '__proto__')!.value as VideoWork;
    expect(Object.getPrototypeOf(frames.frames)).toBe(Object.prototype);
    expect(Object.keys(frames.frames)).toEqual(['__proto__@1']);
  });
});

describe('parseVideoWork', () => {
  it('reads one video’s work as the repository stores it, naming a bad field under the path it is given', () => {
    expect(parseVideoWork(JSON.parse(JSON.stringify(CLIP_WORK)))).toEqual({ ok: true, doc: CLIP_WORK });
    const bad = brokenIn(CLIP_WORK, ['instances', 1, 'visible'], 'sometimes');
    expect(parseVideoWork(bad)).toEqual({ ok: false, error: 'work.instances[1].visible must be true or false, found "sometimes"' });
    expect(parseVideoWork(bad, 'work["video-2"]')).toEqual({ ok: false, error: 'work["video-2"].instances[1].visible must be true or false, found "sometimes"' });
    expect(parseVideoWork(null)).toEqual({ ok: false, error: 'work must be an object, found null' });
  });

  it('tells empty work from work worth keeping', () => {
    expect(isEmptyWork(EMPTY_WORK)).toBe(true);
    expect(isEmptyWork(CLIP_WORK)).toBe(false);
    expect(isEmptyWork({ ...EMPTY_WORK, instances: OTHER_WORK.instances })).toBe(false);
    expect(isEmptyWork({ ...EMPTY_WORK, propagationRun: null })).toBe(true);
  });
});

describe('parseProjectMeta', () => {
  it('accepts a meta record and rejects anything else', () => {
    const meta = { id: 'p1', name: 'Cats', createdAt: 1, updatedAt: 2, videoName: null };
    expect(parseProjectMeta(meta)).toEqual(meta);
    expect(parseProjectMeta({ ...meta, videoName: 'cat.mp4', extra: 1 })).toEqual({ ...meta, videoName: 'cat.mp4' });
    expect(parseProjectMeta({ ...meta, videoCount: 3 })).toEqual({ ...meta, videoCount: 3 });
    expect(parseProjectMeta(null)).toBeNull();
    expect(parseProjectMeta({ ...meta, id: '' })).toBeNull();
    expect(parseProjectMeta({ ...meta, name: 3 })).toBeNull();
    expect(parseProjectMeta({ ...meta, updatedAt: '2' })).toBeNull();
    expect(parseProjectMeta({ ...meta, videoName: undefined })).toBeNull();
    expect(parseProjectMeta({ ...meta, videoCount: -1 })).toBeNull();
    expect(parseProjectMeta({ ...meta, videoCount: 1.5 })).toBeNull();
  });
});

describe('StorageQuotaError', () => {
  it('says how much was being written and that earlier saves are intact', () => {
    const error = new StorageQuotaError('the video "clip.mp4"', 12_345_678);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('StorageQuotaError');
    expect(error.bytes).toBe(12_345_678);
    expect(error.message).toContain('the video "clip.mp4" (12.3 MB)');
    expect(error.message).toContain('earlier saves are intact');
  });

  it('formats byte sizes', () => {
    expect(formatByteSize(0)).toBe('0 B');
    expect(formatByteSize(999)).toBe('999 B');
    expect(formatByteSize(1500)).toBe('1.5 kB');
    expect(formatByteSize(250_000_000)).toBe('250 MB');
    expect(formatByteSize(3.2e12)).toBe('3.2 TB');
    expect(formatByteSize(Number.NaN)).toBe('an unknown amount of data');
  });
});
