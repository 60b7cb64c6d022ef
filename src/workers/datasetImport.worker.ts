/**
 * Worker entry: reads imported JSON files and parses and checks them off the UI thread (a 50 MB
 * dataset_info.json is seconds of JSON.parse and validation; a coco.json may be larger), the
 * dataset with progress; the parsing is the pure core's. Only the checked result comes back.
 */
import { expose, releaseProxy, type Remote } from 'comlink';
import { youTubeVisTextForVideos, type CocoMasksRequest, type YouTubeVisForVideos } from '../core/formats/cocoMasks';
import { parseDatasetText, progressStep, type DatasetImportProgress } from '../core/qa/datasetImport';
import type { V2pDatasetParse } from '../core/qa/schemas';

/** The file's text, read chunk by chunk so that reading reports progress too. */
async function readText(file: Blob, onProgress: (p: DatasetImportProgress) => void): Promise<string> {
  const reader = file.stream().getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  const step = progressStep(file.size);
  let done = 0;
  let reported = 0;
  onProgress({ phase: 'reading', done: 0, total: file.size });
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    parts.push(decoder.decode(chunk.value, { stream: true }));
    done += chunk.value.byteLength;
    if (done - reported >= step) {
      reported = done;
      onProgress({ phase: 'reading', done, total: file.size });
    }
  }
  parts.push(decoder.decode());
  return parts.join('');
}

const parser = {
  async parse(file: Blob, name: string, onProgress: (p: DatasetImportProgress) => void): Promise<V2pDatasetParse> {
    try {
      return parseDatasetText(name, await readText(file, onProgress), onProgress);
    } finally {
      // The callback is a comlink proxy (a MessageChannel per import): close it when done.
      (onProgress as unknown as Remote<(p: DatasetImportProgress) => void>)[releaseProxy]();
    }
  },
  async cocoMasks(file: Blob, name: string, request: CocoMasksRequest): Promise<YouTubeVisForVideos> {
    return youTubeVisTextForVideos(name, await file.text(), request);
  },
};

export type DatasetParser = typeof parser;

expose(parser);
