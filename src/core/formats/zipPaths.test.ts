import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_IMPORT_BYTES,
  checkEntrySize,
  importLimits,
  MAX_ZIP_ENTRIES,
  checkZipEntryName,
  classifyEntry,
  commonRoot,
  davisEntry,
  exportStems,
  fileExtension,
  fileStem,
  frameEntry,
  isSystemJunk,
  safeSegment,
  v2pFramePath,
  v2pVideoPath,
  videoEntry,
} from './zipPaths';

describe('checkZipEntryName', () => {
  it('accepts relative names and folder entries', () => {
    for (const name of ['dataset_info.json', 'frames/v/q1.jpg', 'videos/', 'masks/davis/v/00000.png', 'a..b/c', '.hidden']) {
      expect(checkZipEntryName(name)).toBeNull();
    }
  });

  it('refuses each unsafe form with a message naming it', () => {
    expect(checkZipEntryName('')).toBe('an entry has an empty name');
    expect(checkZipEntryName('../x')).toBe('"../x" contains a ".." segment');
    expect(checkZipEntryName('frames/../../etc/passwd')).toBe('"frames/../../etc/passwd" contains a ".." segment');
    expect(checkZipEntryName('a/..')).toBe('"a/.." contains a ".." segment');
    expect(checkZipEntryName('/x')).toBe('"/x" is an absolute path');
    expect(checkZipEntryName('C:\\x')).toBe('"C:\\x" contains a backslash (only "/" may separate folders)');
    expect(checkZipEntryName('C:/x')).toBe('"C:/x" is an absolute path');
    expect(checkZipEntryName('\\\\server\\share')).toContain('contains a backslash');
    expect(checkZipEntryName('a\0b')).toBe('"a?b" contains a NUL character');
    expect(checkZipEntryName('a//b')).toBe('"a//b" contains an empty segment ("//")');
    expect(checkZipEntryName('./a')).toBe('"./a" contains a "." segment');
  });

  it('never accepts a name that could leave the root', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', '..', '.', '', '/', '\\', 'C:', '\0', 'x.json'), { maxLength: 6 }), (parts) => {
        const name = parts.join('/');
        if (checkZipEntryName(name) !== null) return;
        const segments = name.replace(/\/$/, '').split('/');
        expect(segments.every((s) => s !== '..' && s !== '' && s !== '.')).toBe(true);
        expect(name.startsWith('/') || name.includes('\\') || name.includes('\0') || /^[A-Za-z]:/.test(name)).toBe(false);
      }),
    );
  });
});

describe('layout', () => {
  it('names entries', () => {
    expect(v2pVideoPath('My clip.MP4')).toBe('My clip.mp4');
    expect(v2pVideoPath('a/b:c')).toBe('b_c');
    expect(v2pFramePath('clip', 'q1')).toBe('clip/q1.jpg');
    expect(v2pFramePath('../x', 'a/b')).toBe('.._x/a_b.jpg');
    expect(videoEntry('S/x.mp4')).toBe('videos/S/x.mp4');
    expect(frameEntry('S/x.jpg')).toBe('frames/S/x.jpg');
    expect(davisEntry('clip', 7)).toBe('masks/davis/clip/00007.png');
    expect(davisEntry('clip', 123456)).toBe('masks/davis/clip/123456.png');
    expect([fileStem('a.b.mp4'), fileStem('.x'), fileStem('noext'), fileExtension('A.WebM'), fileExtension('noext')]).toEqual(['a.b', '.x', 'noext', 'webm', '']);
  });

  it('makes safe single segments', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const seg = safeSegment(s);
        expect(checkZipEntryName(seg)).toBeNull();
        expect(seg.includes('/')).toBe(false);
      }),
    );
    expect(safeSegment('..')).toBe('_');
    expect(safeSegment('')).toBe('_');
  });

  it('classifies entries', () => {
    expect(classifyEntry('dataset_info.json')).toEqual({ kind: 'dataset' });
    expect(classifyEntry('dataset_info_mc.json')).toEqual({ kind: 'dataset' });
    expect(classifyEntry('studio.json')).toEqual({ kind: 'studio' });
    expect(classifyEntry('masks/coco.json')).toEqual({ kind: 'coco' });
    expect(classifyEntry('masks/davis/bear/00012.png')).toEqual({ kind: 'davis', video: 'bear', frame: 12 });
    expect(classifyEntry('videos/S/x.mp4')).toEqual({ kind: 'video', path: 'S/x.mp4' });
    expect(classifyEntry('frames/S/x/frame_000391.jpg')).toEqual({ kind: 'frame', path: 'S/x/frame_000391.jpg' });
    expect(classifyEntry('videos/')).toEqual({ kind: 'other' });
    expect(classifyEntry('readme.txt')).toEqual({ kind: 'other' });
  });

  it('finds a single top folder', () => {
    expect(commonRoot(['set/', 'set/dataset_info.json', 'set/videos/a.mp4', '__MACOSX/set/._a'])).toBe('set/');
    expect(commonRoot(['dataset_info.json', 'videos/a.mp4'])).toBe('');
    expect(commonRoot(['a/x', 'b/y'])).toBe('');
    expect(commonRoot([])).toBe('');
  });

  it('names each video\'s masks by its stem, by its path where videos share a stem, always uniquely', () => {
    expect(exportStems(['Beta/clip.mp4', 'Alpha/clip.mp4', 'Beta/walk.mp4', 'Gamma/CLIP.webm', 'bear.final.mp4'])).toEqual(['Beta_clip', 'Alpha_clip', 'walk', 'Gamma_CLIP', 'bear.final']);
    expect(exportStems(['A/clip.mp4', 'A_clip.mp4', 'B/clip.mp4'])).toEqual(['A_clip', 'A_clip_2', 'B_clip']);
    expect(exportStems(['clip.mp4', 'clip.webm'])).toEqual(['clip', 'clip_2']);
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-cA-C./]{1,7}$/), { maxLength: 12 }), (paths) => {
        const names = exportStems(paths);
        expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(paths.length);
        for (const n of names) expect(safeSegment(n)).toBe(n);
      }),
    );
  });

  it('skips system litter', () => {
    expect(isSystemJunk('__MACOSX/a')).toBe(true);
    expect(isSystemJunk('frames/.DS_Store')).toBe(true);
    expect(isSystemJunk('frames/a.jpg')).toBe(false);
  });
});

describe('size limits', () => {
  it('allows up to the limit and names the entry beyond it', () => {
    expect(checkEntrySize('dataset_info.json', 'dataset', MAX_IMPORT_BYTES.dataset)).toBeNull();
    // Just over the limit reads as over it (rounded up), not as the limit itself.
    expect(checkEntrySize('dataset_info.json', 'dataset', MAX_IMPORT_BYTES.dataset + 1)).toBe('"dataset_info.json" is 64.1 MiB, more than the 64 MiB allowed for a dataset_info.json');
    expect(checkEntrySize('big.json', 'dataset', 70 * 1024 ** 2)).toBe('"big.json" is 70 MiB, more than the 64 MiB allowed for a dataset_info.json');
    expect(checkEntrySize('videos/x.mp4', 'video', 3 * 1024 ** 3)).toBe('"videos/x.mp4" is 3 GiB, more than the 2 GiB allowed for a video');
    expect(MAX_IMPORT_BYTES.studio).toBe(256 * 1024 * 1024);
  });

  it('gives archives and folders the same per-kind limits as a lone file', () => {
    expect(importLimits.maxEntryBytes('dataset_info.json')).toBe(MAX_IMPORT_BYTES.dataset);
    expect(importLimits.maxEntryBytes('videos/S/a.mp4')).toBe(MAX_IMPORT_BYTES.video);
    expect(importLimits.maxEntryBytes('masks/davis/v/00001.png')).toBe(MAX_IMPORT_BYTES.davis);
    expect(importLimits.maxEntries).toBe(MAX_ZIP_ENTRIES);
  });
});
