import { describe, expect, it } from 'vitest';
import { readFolder } from './folderReader.ts';
import type { ReadLimits } from './zipReader.ts';

const unlimited: ReadLimits = { maxEntryBytes: () => Number.MAX_SAFE_INTEGER };

/** A File as `<input webkitdirectory>` gives it (Node's File has no webkitRelativePath). */
function picked(path: string, body: string): File {
  const file = new File([body], path.slice(path.lastIndexOf('/') + 1));
  Object.defineProperty(file, 'webkitRelativePath', { value: path });
  return file;
}

describe('readFolder', () => {
  it('strips the picked folder name, skips OS litter, reads on demand', async () => {
    const files = [
      picked('bench/dataset_info.json', '[]'),
      picked('bench/videos/Src/a.mp4', 'video'),
      picked('bench/.DS_Store', 'junk'),
      picked('bench/frames/.DS_Store', 'junk'),
    ];
    const result = await readFolder(files, unlimited);
    if (!result.ok) throw new Error(result.error);
    expect(result.entries.map((e) => [e.name, e.size])).toEqual([
      ['dataset_info.json', 2],
      ['videos/Src/a.mp4', 5],
    ]);
    expect(new TextDecoder().decode(await result.entries[0]!.read())).toBe('[]');
    expect(await result.entries[1]!.blob()).toBe(files[1]); // the File itself, no copy
  });

  it('keeps bare names for files picked without a folder', async () => {
    const result = await readFolder([new File(['[]'], 'dataset_info.json')], unlimited);
    expect(result.ok && result.entries.map((e) => e.name)).toEqual(['dataset_info.json']);
  });

  it('refuses a file over its limit, naming it', async () => {
    const result = await readFolder([picked('b/dataset_info.json', 'x'.repeat(2000))], { maxEntryBytes: () => 1024 });
    expect(result).toEqual({ ok: false, error: 'The file "dataset_info.json" is 2.0 KiB; the limit for it is 1.0 KiB.' });
  });

  it('refuses too many files', async () => {
    const files = Array.from({ length: 4 }, (_, i) => picked(`b/${i}.png`, ''));
    expect(await readFolder(files, { ...unlimited, maxEntries: 3 })).toEqual({ ok: false, error: 'The folder has 4 files; at most 3 are accepted.' });
  });

  it('refuses unsafe names and duplicates', async () => {
    const backslash = await readFolder([picked('b/a\\b.json', '')], unlimited);
    expect(backslash).toEqual({ ok: false, error: 'Refused file in the folder: "a\\b.json" contains a backslash (only "/" may separate folders).' });
    const dots = await readFolder([picked('b/../x.json', '')], unlimited);
    expect(dots.ok).toBe(false);
    const twice = await readFolder([picked('b/x.json', ''), picked('c/x.json', '')], unlimited);
    expect(twice).toEqual({ ok: false, error: 'The folder contains "x.json" twice.' });
  });
});
