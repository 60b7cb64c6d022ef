import { afterEach, describe, expect, it, vi } from 'vitest';
import { canStreamToDisk, saveZip } from './saveZip.ts';
import { readZip } from './zipReader.ts';

const entries = [
  { name: 'dataset_info.json', data: '[]' },
  { name: 'videos/a.mp4', data: new Blob(['video bytes']) },
];

async function names(blob: Blob): Promise<string[]> {
  const result = await readZip(blob, { maxEntryBytes: () => 1e9 });
  if (!result.ok) throw new Error(result.error);
  return result.entries.map((e) => e.name);
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('saveZip', () => {
  it('streams to the picked file when showSaveFilePicker exists', async () => {
    const written: Uint8Array[] = [];
    let closed = false;
    const handle = {
      createWritable: async () => ({
        write: async (chunk: Uint8Array) => void written.push(chunk.slice()),
        close: async () => void (closed = true),
        abort: async () => undefined,
      }),
    };
    const picker = vi.fn(async () => handle);
    vi.stubGlobal('showSaveFilePicker', picker);
    expect(canStreamToDisk()).toBe(true);
    expect(await saveZip('export.zip', entries)).toBe('saved');
    expect(picker.mock.calls[0]).toMatchObject([{ suggestedName: 'export.zip' }]);
    expect(closed).toBe(true);
    expect(await names(new Blob(written as Uint8Array<ArrayBuffer>[]))).toEqual(['dataset_info.json', 'videos/a.mp4']);
  });

  it('does nothing when the user cancels the dialog', async () => {
    vi.stubGlobal('showSaveFilePicker', async () => {
      throw new DOMException('The user aborted a request.', 'AbortError');
    });
    expect(await saveZip('export.zip', entries)).toBe('cancelled');
  });

  it('downloads a Blob through an object URL otherwise, revoked later', async () => {
    vi.useFakeTimers();
    const anchor = { href: '', download: '', style: { display: '' }, click: vi.fn(), remove: vi.fn() };
    vi.stubGlobal('document', { createElement: () => anchor, body: { append: vi.fn() } });
    let saved: Blob | null = null;
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved = blob as Blob;
      return 'blob:zip';
    });
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    try {
      expect(canStreamToDisk()).toBe(false);
      expect(await saveZip('export.zip', entries)).toBe('downloaded');
      expect(anchor).toMatchObject({ href: 'blob:zip', download: 'export.zip' });
      expect(anchor.click).toHaveBeenCalledOnce();
      expect(await names(saved!)).toEqual(['dataset_info.json', 'videos/a.mp4']);
      expect(revoke).not.toHaveBeenCalled();
      vi.advanceTimersByTime(60_000);
      expect(revoke).toHaveBeenCalledWith('blob:zip');
    } finally {
      create.mockRestore();
      revoke.mockRestore();
    }
  });
});
