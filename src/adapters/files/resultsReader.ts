/**
 * Results files are read and parsed in a worker: a 10,000-line file is ~30 MB of JSON, which
 * would hold the UI thread for a few hundred ms. The File crosses by reference; only the parsed
 * results come back. The worker starts on the first import.
 */
import { wrap, type Remote } from 'comlink';
import type { ResultParse } from '../../core/review/resultLines';
import type { ResultsParser } from '../../workers/results.worker';

export function createWorkerResultsReader(): (file: Blob) => Promise<ResultParse> {
  let remote: Remote<ResultsParser> | null = null;
  return (file) => {
    remote ??= wrap<ResultsParser>(new Worker(new URL('../../workers/results.worker.ts', import.meta.url), { type: 'module', name: 'results' }));
    return remote.parse(file);
  };
}
