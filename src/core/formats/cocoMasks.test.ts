import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compressRle, encodeRle, maskFromPredicate, type Rle } from '../mask/rle';
import { checkMasksFit, fromYouTubeVis, toYouTubeVis, toYouTubeVisDataset, youTubeVisForVideo, youTubeVisForVideos, ytvisFileName, type ProjectVideoTarget, type VideoSize, type YouTubeVisInput } from './cocoMasks';
import { sizedMasks } from '../../testing/maskArbitraries';

const box = encodeRle(maskFromPredicate(4, 3, (x, y) => x >= 1 && x <= 2 && y <= 1));

function sample(): Parameters<typeof toYouTubeVis>[0] {
  const masks: Record<string, (Rle | null)[]> = { a: [box, null], b: [null, encodeRle(maskFromPredicate(4, 3, () => false))] };
  return {
    video: { name: 'clips/bear.mp4', width: 4, height: 3, frameCount: 2 },
    instances: [
      { id: 'a', name: 'bear' },
      { id: 'b', name: 'cub' },
    ],
    maskAt: (id, f) => masks[id]?.[f] ?? null,
  };
}

function error(json: unknown, opts?: { videoId?: number }): string {
  const r = fromYouTubeVis(json, opts);
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

describe('toYouTubeVis', () => {
  it('writes the YouTube-VIS layout with compressed RLE, areas and boxes', () => {
    const json = toYouTubeVis(sample());
    expect(json.videos).toEqual([{ id: 1, file_names: ['bear/00000.jpg', 'bear/00001.jpg'], width: 4, height: 3, length: 2 }]);
    expect(json.categories).toEqual([
      { id: 1, name: 'bear', supercategory: 'object' },
      { id: 2, name: 'cub', supercategory: 'object' },
    ]);
    expect(json.annotations[0]).toEqual({
      id: 1,
      video_id: 1,
      category_id: 1,
      segmentations: [compressRle(box), null],
      areas: [4, null],
      bboxes: [[1, 0, 2, 2], null],
      iscrowd: 0,
      width: 4,
      height: 3,
    });
    expect(typeof json.annotations[0]!.segmentations[0]!.counts).toBe('string');
    // An empty mask: area 0, bbox [0, 0, 0, 0] (pycocotools' toBbox).
    expect(json.annotations[1]!.areas).toEqual([null, 0]);
    expect(json.annotations[1]!.bboxes).toEqual([null, [0, 0, 0, 0]]);
  });

  it('shares a category between instances of the same name', () => {
    const input = sample();
    const json = toYouTubeVis({ ...input, instances: [{ id: 'a', name: 'dog' }, { id: 'b', name: 'dog' }] });
    expect(json.categories).toHaveLength(1);
    expect(json.annotations.map((a) => a.category_id)).toEqual([1, 1]);
  });

  it('refuses a mask of another size', () => {
    const input = sample();
    expect(() => toYouTubeVis({ ...input, maskAt: () => encodeRle(maskFromPredicate(3, 3, () => true)) })).toThrow(/not a valid 4x3 RLE/);
  });

  it('names frames', () => {
    expect(ytvisFileName('a/b/c.d.webm', 12)).toBe('c.d/00012.jpg');
  });
});

/** The masks of an input as the import gives them back: by instance name (in order), frame → RLE. */
function masksOf(input: YouTubeVisInput): [string, Map<number, Rle>][] {
  return input.instances.map((instance) => {
    const masks = new Map<number, Rle>();
    for (let f = 0; f < input.video.frameCount; f++) {
      const rle = input.maskAt(instance.id, f);
      if (rle !== null) masks.set(f, rle);
    }
    return [instance.name, masks];
  });
}

/** What the import of `json` finds for the input's video (by its name, as the app imports onto a video). */
function importedFor(json: unknown, input: YouTubeVisInput): [string, Map<number, Rle>][] {
  const back = youTubeVisForVideo(JSON.parse(JSON.stringify(json)), input.video);
  if (!back.ok) throw new Error(back.error);
  expect(back.note).toBeNull();
  return back.instances.map((i) => [i.name, i.masks]);
}

describe('toYouTubeVisDataset', () => {
  /** A second video of another size, with an object named like one of the first video's. */
  function goat(): YouTubeVisInput {
    const horns = encodeRle(maskFromPredicate(5, 2, (x) => x === 4));
    const kid = encodeRle(maskFromPredicate(5, 2, (x, y) => x < 2 && y === 1));
    const masks: Record<string, (Rle | null)[]> = { g: [horns, null, horns], k: [null, kid, kid] };
    return {
      video: { name: 'farm/goat.webm', width: 5, height: 2, frameCount: 3 },
      instances: [
        { id: 'g', name: 'goat' },
        { id: 'k', name: 'bear' },
      ],
      maskAt: (id, f) => masks[id]?.[f] ?? null,
    };
  }

  it('numbers videos and annotations across the dataset and shares categories by name', () => {
    const json = toYouTubeVisDataset([sample(), goat()]);
    expect(json.videos).toEqual([
      { id: 1, file_names: ['bear/00000.jpg', 'bear/00001.jpg'], width: 4, height: 3, length: 2 },
      { id: 2, file_names: ['goat/00000.jpg', 'goat/00001.jpg', 'goat/00002.jpg'], width: 5, height: 2, length: 3 },
    ]);
    expect(json.categories).toEqual([
      { id: 1, name: 'bear', supercategory: 'object' },
      { id: 2, name: 'cub', supercategory: 'object' },
      { id: 3, name: 'goat', supercategory: 'object' },
    ]);
    expect(json.annotations.map((a) => [a.id, a.video_id, a.category_id, a.width, a.height])).toEqual([
      [1, 1, 1, 4, 3],
      [2, 1, 2, 4, 3],
      [3, 2, 3, 5, 2],
      [4, 2, 1, 5, 2],
    ]);
    // The second video's annotations are its own, not copies of the first's.
    expect(json.annotations[2]!.areas).toEqual([2, null, 2]);
    expect(json.annotations[3]!.bboxes).toEqual([null, [0, 1, 2, 1], [0, 1, 2, 1]]);
  });

  it('gives each video its own masks back through the import for that video', () => {
    const inputs = [sample(), goat()];
    const json = toYouTubeVisDataset(inputs);
    for (const input of inputs) expect(importedFor(json, input)).toEqual(masksOf(input));
    // And the videos by id.
    const second = fromYouTubeVis(JSON.parse(JSON.stringify(json)), { videoId: 2 });
    expect(second.ok && second.video).toEqual({ id: 2, name: 'goat', width: 5, height: 2, frameCount: 3 });
  });

  it('is toYouTubeVis for one video', () => {
    expect(toYouTubeVisDataset([sample()])).toEqual(toYouTubeVis(sample()));
    expect(toYouTubeVisDataset([])).toMatchObject({ videos: [], categories: [], annotations: [] });
  });

  it('round-trips the masks of any two videos (property)', () => {
    const sized = sizedMasks(3, 4).filter((s) => s.frames > 0);
    fc.assert(
      fc.property(sized, sized, (a, b) => {
        const inputs = [a, b].map(({ width, height, frames, masks }, v): YouTubeVisInput => ({
          video: { name: `v${v}.mp4`, width, height, frameCount: frames },
          instances: masks.map((_, i) => ({ id: `i${i}`, name: `obj ${(i + v) % 3}` })),
          maskAt: (id, f) => masks[Number(id.slice(1))]![f]!,
        }));
        const json = toYouTubeVisDataset(inputs);
        expect(json.annotations.map((x) => x.id)).toEqual(json.annotations.map((_, i) => i + 1));
        expect(new Set(json.categories.map((c) => c.name)).size).toBe(json.categories.length);
        for (const input of inputs) expect(importedFor(json, input)).toEqual(masksOf(input));
      }),
      { numRuns: 100 },
    );
  });
});

describe('fromYouTubeVis', () => {
  it('round-trips masks, names and the video (property)', () => {
    fc.assert(
      fc.property(sizedMasks(3, 4), ({ width, height, frames, masks }) => {
        const instances = masks.map((_, i) => ({ id: `i${i}`, name: `obj ${i % 2}` }));
        const json = toYouTubeVis({ video: { name: 'v.mp4', width, height, frameCount: frames }, instances, maskAt: (id, f) => masks[Number(id.slice(1))]![f]! });
        const back = fromYouTubeVis(JSON.parse(JSON.stringify(json)));
        if (!back.ok) throw new Error(back.error);
        expect(back.video).toEqual({ id: 1, name: frames > 0 ? 'v' : 'video 1', width, height, frameCount: frames });
        expect(back.instances.map((i) => i.name)).toEqual(instances.map((i) => i.name));
        back.instances.forEach((instance, k) => {
          const expected = new Map<number, Rle>();
          masks[k]!.forEach((rle, f) => {
            if (rle !== null) expected.set(f, rle);
          });
          expect(instance.masks).toEqual(expected);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('reads uncompressed RLE and picks a video by id', () => {
    const json = {
      videos: [
        { id: 5, file_names: ['x/0.jpg'], width: 4, height: 3, length: 1 },
        { id: 6, width: 4, height: 3, length: 1 },
      ],
      categories: [{ id: 1, name: 'cat' }],
      annotations: [
        { id: 1, video_id: 5, category_id: 1, segmentations: [{ size: [3, 4], counts: [...box.counts] }] },
        { id: 2, video_id: 6, category_id: 1, segmentations: [null] },
      ],
    };
    const r = fromYouTubeVis(json, { videoId: 5 });
    expect(r.ok && r.instances).toEqual([{ name: 'cat', annotationId: 1, categoryId: 1, masks: new Map([[0, box]]) }]);
    expect(r.ok && r.video.name).toBe('x');
    expect(error(json)).toBe('the file has 2 videos; choose one by its id');
    expect(error(json, { videoId: 9 })).toBe('the file has no video with id 9');
  });

  const one = (segmentation: unknown, extra: Record<string, unknown> = {}): unknown => ({
    videos: [{ id: 1, width: 4, height: 3, length: 1 }],
    categories: [{ id: 1, name: 'c' }],
    annotations: [{ id: 1, video_id: 1, category_id: 1, segmentations: [segmentation], ...extra }],
  });

  it('rejects each malformed case with its path', () => {
    expect(error(null)).toMatch(/^the file: /);
    expect(error({ videos: [], annotations: [] })).toBe('the file has 0 videos; choose one by its id');
    expect(error({ videos: [{ id: 1, width: 4, height: 3 }], annotations: [] })).toBe('videos[0] has neither "length" nor "file_names"');
    expect(error({ videos: [{ id: 1, width: 4, height: 3, length: 2, file_names: ['a'] }], annotations: [] })).toBe('videos[0] has 1 file_names but length 2');
    expect(error({ videos: [{ id: 1, width: '4', height: 3, length: 1 }], annotations: [] })).toMatch(/^videos\[0\]\.width: /);
    expect(error(one([[1, 2, 3, 4, 5, 6]]))).toBe('annotations[0].segmentations[0]: polygons are not supported, only RLE masks');
    expect(error(one({ size: [4, 3], counts: '' }))).toBe("annotations[0].segmentations[0]: size [4, 3] is not the video's [3, 4]");
    expect(error(one({ size: [3, 4], counts: [1, 2] }))).toBe('annotations[0].segmentations[0].counts add up to 3 pixels, but size [3, 4] has 12');
    expect(error(one({ size: [3, 4], counts: '~~' }))).toMatch(/^annotations\[0\]\.segmentations\[0\]\.counts: Invalid character/);
    expect(error(one(null, { segmentations: [null, null] }))).toBe('annotations[0].segmentations has 2 entries, but the video has 1 frames');
    expect(error(one(null, { video_id: 2 }))).toBe('annotations[0].video_id 2 is not the id of one of the videos');
    expect(error(one(null, { category_id: 2 }))).toBe('annotations[0].category_id 2 is not the id of one of the categories');
    const dup = one(null) as { annotations: unknown[] };
    dup.annotations.push({ id: 1, video_id: 1, category_id: 1, segmentations: [null] });
    expect(error(dup)).toBe('annotations[1].id 1 is used by an earlier annotation');
    expect(error({ videos: [{ id: 1, width: 4, height: 3, length: 1 }, { id: 1, width: 4, height: 3, length: 1 }], annotations: [] })).toBe('videos[1].id 1 is used by an earlier video');
  });
});

describe('youTubeVisForVideos', () => {
  /** A 5×2, 3-frame video of one object. */
  function goat(name = 'farm/goat.webm'): YouTubeVisInput {
    const horns = encodeRle(maskFromPredicate(5, 2, (x) => x === 4));
    return { video: { name, width: 5, height: 2, frameCount: 3 }, instances: [{ id: 'g', name: 'goat' }], maskAt: (_, f) => (f === 1 ? null : horns) };
  }
  const target = (name: string, size: VideoSize | null, label = `“${name}”`): ProjectVideoTarget => ({ stems: [name.slice(name.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '')], label, size });
  const dataset = (): unknown => JSON.parse(JSON.stringify(toYouTubeVisDataset([sample(), goat()])));

  it('gives each video of the file to the target named as it (case aside), checking sizes only where known', () => {
    const r = youTubeVisForVideos(dataset(), { targets: [target('goat.webm', null), target('other.mp4', { width: 4, height: 3, frameCount: 2 }), target('Bear.MP4', { width: 4, height: 3, frameCount: 2 }, 'the open video')], fallback: 2 });
    if (!r.ok) throw new Error(r.error);
    expect(r.matched.map((m) => [m.target, m.video.name, m.instances.map((i) => i.name)])).toEqual([
      [2, 'bear', ['bear', 'cub']],
      [0, 'goat', ['goat']],
    ]);
    expect(r.matched[1]!.instances[0]!.masks).toEqual(masksOf(goat())[0]![1]);
    expect([r.refused, r.unmatched, r.note]).toEqual([[], [], null]);
    // goat's size was not known: the caller checks once it knows it.
    expect(checkMasksFit(r.matched[1]!.video, r.matched[1]!.instances, '“goat.webm”', { width: 5, height: 2, frameCount: 2 })).toBe('track 3 ("goat") has a mask on frame 2, but “goat.webm” has 2 frames (0–1)');
    expect(checkMasksFit(r.matched[1]!.video, r.matched[1]!.instances, '“goat.webm”', { width: 5, height: 2, frameCount: 3 })).toBeNull();
  });

  it('refuses a video whose name several targets share, or whose size is not its target\'s, and lists the videos of no target', () => {
    const r = youTubeVisForVideos(dataset(), { targets: [target('A/goat.webm', null), target('B/goat.webm', null), target('x.mp4', null)], fallback: null });
    expect(r).toEqual({ ok: true, matched: [], unmatched: ['bear'], note: null, refused: ['the file\'s video "goat" is named as 2 videos of this project (“A/goat.webm”, “B/goat.webm”), so it cannot say which one its masks are of'] });
    const sized = youTubeVisForVideos(dataset(), { targets: [target('bear.mp4', { width: 3, height: 4, frameCount: 2 }), target('goat.mp4', null)], fallback: 0 });
    expect(sized.ok && [sized.refused, sized.matched.map((m) => m.video.name)]).toEqual([['the file\'s video "bear" is 4×3, “bear.mp4” 3×4'], ['goat']]);
    expect(youTubeVisForVideos(dataset(), { targets: [target('x.mp4', null), target('y.mp4', null)], fallback: 0 })).toEqual({ ok: false, error: 'none of the file\'s 2 videos is named as one of this project\'s 2 videos; it has "bear", "goat"' });
  });

  it('puts a file of one video named otherwise onto the fallback target when the frame sizes agree', () => {
    const json = JSON.parse(JSON.stringify(toYouTubeVis(goat('renamed.mp4')))) as unknown;
    const targets = [target('a.mp4', null), target('b.mp4', { width: 5, height: 2, frameCount: 3 }, 'the open video')];
    const r = youTubeVisForVideos(json, { targets, fallback: 1 });
    expect(r.ok && [r.matched.map((m) => m.target), r.note]).toEqual([[1], 'The file\'s only video, "renamed", is not named "b" but has its frame size (5×2), so its masks were put on this video.']);
    expect(youTubeVisForVideos(json, { targets, fallback: null })).toEqual({ ok: false, error: 'the file\'s only video, "renamed", is not named as one of this project\'s 2 videos' });
  });

  it('round-trips the masks of any two videos in one read, whatever the targets\' order (property)', () => {
    const sized = sizedMasks(3, 4).filter((s) => s.frames > 0);
    fc.assert(
      fc.property(sized, sized, fc.boolean(), (a, b, reversed) => {
        const inputs = [a, b].map(({ width, height, frames, masks }, v): YouTubeVisInput => ({
          video: { name: `S${v}/v${v}.mp4`, width, height, frameCount: frames },
          instances: masks.map((_, i) => ({ id: `i${i}`, name: `obj ${(i + v) % 3}` })),
          maskAt: (id, f) => masks[Number(id.slice(1))]![f]!,
        }));
        const order = reversed ? [1, 0] : [0, 1];
        const targets = order.map((k) => target(`v${k}.mp4`, inputs[k]!.video));
        const r = youTubeVisForVideos(JSON.parse(JSON.stringify(toYouTubeVisDataset(inputs))), { targets, fallback: null });
        if (!r.ok) throw new Error(r.error);
        expect(r.refused).toEqual([]);
        for (const m of r.matched) expect(m.instances.map((i): [string, Map<number, Rle>] => [i.name, i.masks])).toEqual(masksOf(inputs[order[m.target]!]!));
        expect(r.matched.map((m) => order[m.target])).toEqual([0, 1]);
      }),
      { numRuns: 100 },
    );
  });
});
