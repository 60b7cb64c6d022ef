import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FrameAnnotation, Instance, Prompt } from '../annotation/model';
import type { Rle } from '../mask/rle';
import type { ReviewRun } from '../review/run';
import { sampleQuery } from '../../testing/sampleQuery';
import { emptyDocument, parseDocument, parseProjectMeta, type ProjectDocument, type VideoRef } from './document';
import { StorageQuotaError, formatByteSize } from './repository';
import { importedRun, runResult } from '../../testing/reviewFixtures';

/** Finite doubles without -0 (JSON writes -0 as 0). */
const coord = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((x) => (Object.is(x, -0) ? 0 : x));

const video: fc.Arbitrary<VideoRef> = fc.record({
  name: fc.string(),
  byteLength: fc.nat(),
  width: fc.nat({ max: 8192 }),
  height: fc.nat({ max: 8192 }),
  frameCount: fc.nat(),
  fps: fc.double({ noNaN: true, min: 0, max: 240 }).map((x) => (Object.is(x, -0) ? 0 : x)),
  durationS: fc.double({ noNaN: true, min: 0, max: 1e5 }).map((x) => (Object.is(x, -0) ? 0 : x)),
  stored: fc.boolean(),
});

const prompt: fc.Arbitrary<Prompt> = fc.oneof(
  fc.record({ kind: fc.constant('point' as const), x: coord, y: coord, positive: fc.boolean() }),
  fc.record({ kind: fc.constant('box' as const), x0: coord, y0: coord, x1: coord, y1: coord }),
  fc.record({ kind: fc.constant('scribble' as const), path: fc.array(fc.tuple(coord, coord), { maxLength: 20 }).map((pts) => pts.flat()) }),
);

/** A valid RLE: runs that cover height * width exactly (zero-length runs included). */
const rle: fc.Arbitrary<Rle> = fc
  .tuple(fc.nat({ max: 12 }), fc.nat({ max: 12 }))
  .chain(([height, width]) =>
    fc.array(fc.nat({ max: height * width }), { maxLength: 12 }).map((cuts): Rle => {
      const points = [0, ...cuts.sort((a, b) => a - b), height * width];
      return { size: [height, width], counts: points.slice(1).map((p, i) => p - points[i]!) };
    }),
  );

const annotation: fc.Arbitrary<FrameAnnotation> = fc.record({
  prompts: fc.array(prompt, { maxLength: 5 }),
  mask: fc.option(fc.record({ rle, score: coord }), { nil: null }),
});

const instance: fc.Arbitrary<Instance> = fc.record({
  id: fc.string({ minLength: 1 }),
  name: fc.string(),
  color: fc.string({ minLength: 1 }),
  visible: fc.boolean(),
});

const documentArb: fc.Arbitrary<ProjectDocument> = fc
  .uniqueArray(instance, { selector: (i) => i.id, maxLength: 5 })
  .chain((instances) =>
    fc.record({
      version: fc.constant(1 as const),
      video: fc.option(video, { nil: null }),
      instances: fc.constant(instances),
      activeId: instances.length ? fc.option(fc.constantFrom(...instances.map((i) => i.id)), { nil: null }) : fc.constant(null),
      frames: instances.length
        ? fc
            .array(fc.tuple(fc.constantFrom(...instances.map((i) => i.id)), fc.nat({ max: 100_000 }), annotation), { maxLength: 8 })
            .map((entries) => Object.fromEntries(entries.map(([id, frame, a]) => [`${id}@${frame}`, a])))
        : fc.constant({}),
      queries: fc.constant([]),
      masklets: fc.constant({}),
      qaItems: fc.constant([]),
      runs: fc.constant([]),
      judgements: fc.constant({}),
    }),
  );

/** A small imported run (the review's schemas have their own tests; this is about the document). */
function run(id: string, keys: readonly string[] = ['line-1', 'line-2']): ReviewRun {
  return importedRun(
    id,
    keys.map((key) => runResult(key, { rawOutput: 'a cat' })),
  );
}

const valid: ProjectDocument = {
  version: 1,
  video: { name: 'clip.mp4', byteLength: 1234, width: 4, height: 3, frameCount: 10, fps: 25, durationS: 0.4, stored: true },
  instances: [
    { id: 'a', name: 'Object 1', color: '#ff3b30', visible: true },
    { id: 'b@x', name: 'Object 2', color: '#ffcc00', visible: false },
  ],
  activeId: 'a',
  frames: {
    'a@0': {
      prompts: [
        { kind: 'point', x: 1.5, y: 2, positive: true },
        { kind: 'box', x0: 0, y0: 0, x1: 3, y1: 2 },
        { kind: 'scribble', path: [0.5, 1, 2, 1.5, 3, 2] },
      ],
      mask: { rle: { size: [3, 4], counts: [2, 5, 5] }, score: 0.93 },
    },
    'b@x@7': { prompts: [{ kind: 'point', x: 0, y: 0, positive: false }], mask: null },
  },
  queries: [sampleQuery()],
  masklets: {},
  qaItems: [],
  runs: [run('r1'), run('r2', ['line-7'])],
  judgements: { r1: { 'line-2': { value: 0.5, note: 'half', at: 3 } }, r2: {} },
};

const DELETE = Symbol('delete');
type Path = readonly (string | number)[];

/** A JSON copy of `valid` with the value at `path` replaced by `value` (or deleted). */
function broken(path: Path, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(valid)) as unknown;
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === DELETE) Reflect.deleteProperty(parent, last);
  else parent[last] = value;
  return copy;
}

function errorOf(json: unknown): string {
  const result = parseDocument(json);
  if (result.ok) throw new Error('expected the document to be rejected');
  return result.error;
}

describe('parseDocument', () => {
  it('accepts the empty document and a full one', () => {
    expect(parseDocument(emptyDocument())).toEqual({ ok: true, doc: emptyDocument() });
    expect(parseDocument(valid)).toEqual({ ok: true, doc: valid });
  });

  it('reads documents saved before queries existed as having none', () => {
    expect(parseDocument(broken(['queries'], DELETE))).toEqual({ ok: true, doc: { ...valid, queries: [] } });
    expect(parseDocument(broken(['masklets'], DELETE))).toEqual({ ok: true, doc: valid });
  });

  it('reads documents saved before the review existed as having no runs and no judgements', () => {
    const old = broken(['runs'], DELETE) as Record<string, unknown>;
    delete old.judgements;
    expect(parseDocument(old)).toEqual({ ok: true, doc: { ...valid, runs: [], judgements: {} } });
    expect(parseDocument(broken(['judgements'], DELETE))).toEqual({ ok: true, doc: { ...valid, judgements: {} } });
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
    const id = valid.instances[0]!.id;
    const pending = { instanceIds: [id, 'gone'], direction: 'both', range: [0, 9], step: { kind: 'nth', k: 5 }, total: 9, done: 4, startedAt: 1 };
    expect(parseDocument({ ...valid, propagationRun: pending })).toEqual({ ok: true, doc: { ...valid, propagationRun: { ...pending, instanceIds: [id] } } });
    expect(parseDocument({ ...valid, propagationRun: { ...pending, instanceIds: ['gone'] } })).toEqual({ ok: true, doc: valid });
    expect(parseDocument({ ...valid, propagationRun: null })).toEqual({ ok: true, doc: valid });
    expect(errorOf({ ...valid, propagationRun: { ...pending, step: { kind: 'nth', k: 1 } } })).toMatch(/^propagationRun\.step\.k: /);
    expect(errorOf({ ...valid, propagationRun: { ...pending, direction: 'sideways' } })).toMatch(/^propagationRun\.direction: /);
  });

  it('names the first bad field of a saved query', () => {
    expect(errorOf(broken(['queries', 0, 'trajectory', 'rounds', 1, 'content'], 42))).toMatch(/^queries\[0\]\.trajectory\.rounds\[1\]\.content: /);
    expect(errorOf(broken(['queries', 0, 'visualPrompt', 'type'], 'circle'))).toMatch(/^queries\[0\]\.visualPrompt\.type: /);
    expect(errorOf(broken(['queries'], {}))).toMatch(/^queries: /);
  });

  it('round-trips any valid document through JSON', () => {
    fc.assert(
      fc.property(documentArb, (doc) => {
        const result = parseDocument(JSON.parse(JSON.stringify(doc)));
        expect(result).toEqual({ ok: true, doc });
      }),
      { numRuns: 300 },
    );
  });

  it('drops fields it does not know', () => {
    const json = broken(['extra'], 1) as { instances: Record<string, unknown>[] };
    json.instances[0]!.extra = 'x';
    expect(parseDocument(json)).toEqual({ ok: true, doc: valid });
  });

  it('names an unknown or missing version', () => {
    expect(errorOf(broken(['version'], 2))).toBe('version 2 is not supported (this build reads version 1)');
    expect(errorOf(broken(['version'], '1'))).toMatch(/^version "1" is not supported/);
    expect(errorOf(broken(['version'], DELETE))).toMatch(/^version is missing/);
  });

  it('rejects a value that is not an object', () => {
    expect(errorOf(null)).toBe('document must be an object, found null');
    expect(errorOf([valid])).toBe('document must be an object, found an array');
    expect(errorOf(JSON.stringify(valid))).toMatch(/^document must be an object, found "/);
  });

  it.each<[string, Path, unknown, string]>([
    ['video of the wrong type', ['video'], 'clip.mp4', 'video must be an object, found "clip.mp4"'],
    ['video.name missing', ['video', 'name'], DELETE, 'video.name must be a string, found nothing'],
    ['video.byteLength negative', ['video', 'byteLength'], -1, 'video.byteLength must be an integer >= 0, found -1'],
    ['video.width fractional', ['video', 'width'], 1.5, 'video.width'],
    ['video.height a string', ['video', 'height'], '3', 'video.height'],
    ['video.frameCount null', ['video', 'frameCount'], null, 'video.frameCount must be an integer >= 0, found null'],
    ['video.fps not finite', ['video', 'fps'], null, 'video.fps must be a finite number >= 0'],
    ['video.durationS negative', ['video', 'durationS'], -2, 'video.durationS'],
    ['video.stored not boolean', ['video', 'stored'], 'yes', 'video.stored must be true or false, found "yes"'],
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
    ['frame key without a frame', ['frames', 'a'], valid.frames['a@0'], 'frames.a is not a key of the form "instanceId@frame"'],
    ['frame key with a bad frame', ['frames', 'a@01'], valid.frames['a@0'], 'frames["a@01"] is not a key'],
    ['frame key with a negative frame', ['frames', 'a@-1'], valid.frames['a@0'], 'frames["a@-1"] is not a key'],
    ['frame of an unknown instance', ['frames', 'c@3'], valid.frames['a@0'], 'frames["c@3"] refers to instance "c", which is not in instances'],
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
  ])('rejects %s, naming the field', (_case, path, value, message) => {
    expect(errorOf(broken(path, value))).toContain(message);
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        const result = parseDocument(json);
        expect(typeof result.ok).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(documentArb, fc.anything(), fc.nat(), (doc, junk, pick) => {
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

  it('does not let a "__proto__" frame key change the prototype', () => {
    const json = JSON.parse('{"version":1,"video":null,"instances":[{"id":"__proto__","name":"x","color":"#fff","visible":true}],"activeId":null,"frames":{"__proto__@1":{"prompts":[],"mask":null}}}');
    const result = parseDocument(json);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(Object.getPrototypeOf(result.doc.frames)).toBe(Object.prototype);
      expect(Object.keys(result.doc.frames)).toEqual(['__proto__@1']);
    }
  });
});

describe('parseProjectMeta', () => {
  it('accepts a meta record and rejects anything else', () => {
    const meta = { id: 'p1', name: 'Cats', createdAt: 1, updatedAt: 2, videoName: null };
    expect(parseProjectMeta(meta)).toEqual(meta);
    expect(parseProjectMeta({ ...meta, videoName: 'cat.mp4', extra: 1 })).toEqual({ ...meta, videoName: 'cat.mp4' });
    expect(parseProjectMeta(null)).toBeNull();
    expect(parseProjectMeta({ ...meta, id: '' })).toBeNull();
    expect(parseProjectMeta({ ...meta, name: 3 })).toBeNull();
    expect(parseProjectMeta({ ...meta, updatedAt: '2' })).toBeNull();
    expect(parseProjectMeta({ ...meta, videoName: undefined })).toBeNull();
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
