/**
 * The agent-related deps of the store for tests that do not exercise the endpoint: a client that
 * answers like an unreachable server, preferences in memory, and a clock whose sleeps end at once.
 */
import { memoryMedia } from './memoryMedia';
import { EndpointError, type AgentClock, type ChatClient } from '../core/agent/ports';
import type { Preferences } from '../core/ports';
import { youTubeVisTextForVideos } from '../core/formats/cocoMasks';
import { parseDatasetText } from '../core/qa/datasetImport';
import { parseResultLines } from '../core/review/resultLines';
import type { AppDeps } from '../store/deps';

export function memoryPreferences(initial: Record<string, unknown> = {}): Preferences & { readonly values: Record<string, unknown> } {
  const values: Record<string, unknown> = { ...initial };
  return {
    values,
    load: (key) => (key in values ? structuredClone(values[key]) : undefined),
    save: (key, value) => {
      values[key] = structuredClone(value);
    },
  };
}

export function fakeAgentClock(start = 1_700_000_000_000): AgentClock & { readonly sleeps: number[]; advance(ms: number): void } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    async sleep(ms, signal) {
      signal.throwIfAborted();
      sleeps.push(ms);
      now += ms;
    },
  };
}

const unreachable = (): never => {
  throw new EndpointError({ kind: 'unreachable', status: null, detail: 'no endpoint in this test', retryAfterS: null });
};

export const unreachableClient: ChatClient = {
  complete: async () => unreachable(),
  listModels: async () => unreachable(),
};

/** File I/O for tests that do not import or export. */
export const noFiles: AppDeps['files'] = {
  saveZip: () => Promise.reject(new Error('no files in this test')),
  saveFile: () => Promise.reject(new Error('no files in this test')),
  // Parsing is pure: tests read results as the worker does, on their own thread.
  readResults: async (file) => parseResultLines(await file.text()),
  parseDataset: async (file, name, onProgress) => parseDatasetText(name, await file.text(), onProgress),
  parseCocoMasks: async (file, name, request) => youTubeVisTextForVideos(name, await file.text(), request),
  readZip: () => Promise.reject(new Error('no files in this test')),
  readFolder: () => Promise.reject(new Error('no files in this test')),
  encodeDavisPngs: () => Promise.reject(new Error('no files in this test')),
  decodeIndexPng: () => {
    throw new Error('no files in this test');
  },
  readImage: () => Promise.reject(new Error('no images in this test')),
  pickFolder: null,
};

export function agentTestDeps(): Pick<AppDeps, 'chatClient' | 'agentClock' | 'preferences' | 'files' | 'media'> {
  return { chatClient: () => unreachableClient, agentClock: fakeAgentClock(), preferences: memoryPreferences(), files: noFiles, media: memoryMedia() };
}
