/**
 * Downloads model files once and keeps them in Cache Storage, reporting progress; later loads
 * come from the cache without touching the network. Where Cache Storage is missing (an insecure
 * context), files are simply downloaded.
 */
export interface DownloadProgress {
  readonly loaded: number;
  readonly total: number | null;
  readonly fromCache: boolean;
}

export const MODEL_CACHE = 'videoseeker-models-v1';

export async function fetchModelFile(url: string, onProgress: (p: DownloadProgress) => void): Promise<Uint8Array> {
  const cache = typeof caches === 'undefined' ? null : await caches.open(MODEL_CACHE).catch(() => null);
  const hit = await cache?.match(url);
  if (hit) {
    const bytes = new Uint8Array(await hit.arrayBuffer());
    onProgress({ loaded: bytes.byteLength, total: bytes.byteLength, fromCache: true });
    return bytes;
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not download ${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length')) || null;
  const reader = response.body?.getReader();
  let bytes: Uint8Array;
  if (!reader) {
    bytes = new Uint8Array(await response.arrayBuffer());
  } else {
    const chunks: Uint8Array[] = [];
    let loaded = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.byteLength;
      onProgress({ loaded, total, fromCache: false });
    }
    bytes = new Uint8Array(loaded);
    let offset = 0;
    for (const c of chunks) {
      bytes.set(c, offset);
      offset += c.byteLength;
    }
  }
  onProgress({ loaded: bytes.byteLength, total: bytes.byteLength, fromCache: false });
  // A full disk must not stop the model from loading this time; it only costs a download next time.
  await cache?.put(url, new Response(bytes as BlobPart, { headers: { 'Content-Type': 'application/octet-stream' } })).catch(() => undefined);
  return bytes;
}
