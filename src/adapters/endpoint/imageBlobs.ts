/**
 * Each image's JSON text as a Blob, made once and shared by every request body that sends it (a
 * video's 64 question frames go out in every round of every item asked about it). A Blob's bytes
 * are held by the browser, not in the page's heap, and a body made of Blobs is read by the network
 * service without the page copying it. Kept for the images sent last, up to a budget: one that
 * comes back later is made again (cheap: one copy of a ~50 kB string). The keys are the images'
 * data URLs, which the app mostly still holds while their requests run (its frame caches).
 */
import { jsonStringContent } from '../../core/agent/requestBody';
import { BoundedCache } from '../../core/cache/boundedCache';

/** The question frames of the ~16 videos that 64 items at once span (3–4 MB each), and their crops. */
const BUDGET_BYTES = 64 * 1024 * 1024;

const blobs = new BoundedCache<string, Blob>({ maxEntries: 2048, maxBytes: BUDGET_BYTES, sizeOf: (b) => b.size, release: () => {} });

/** `url`'s text as it stands inside the body's JSON string, as a Blob. */
export function imageBlob(url: string): Blob {
  let blob = blobs.get(url);
  if (blob === undefined) {
    blob = new Blob([jsonStringContent(url)]);
    blobs.set(url, blob);
  }
  return blob;
}
