/**
 * Composition root: the only place where browser adapters are created and handed to the store.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createChatClient } from '../adapters/endpoint/openaiChatClient';
import { createWorkerImportParsers } from '../adapters/files/datasetReader';
import { readFolder } from '../adapters/files/folderReader';
import { createWorkerResultsReader } from '../adapters/files/resultsReader';
import { opfsResultsFiles, saveDialogResultsFiles } from '../adapters/files/resultsFile';
import { decodeIndexPng } from '../adapters/files/png';
import { createWorkerDavisPngs } from '../adapters/files/davisPngWorker';
import { downloadBlob, saveBlob, saveZip } from '../adapters/files/saveZip';
import { blobSink } from '../adapters/files/zipSinks';
import { writeZip } from '../adapters/files/zipWriter';
import { readZip } from '../adapters/files/zipReader';
import { createWorkerSegmenter } from '../adapters/segmentation/workerSegmenter';
import { createLocalPreferences } from '../adapters/storage/localPreferences';
import { systemClock } from '../adapters/time/systemClock';
import { createIdbProjectMedia } from '../adapters/storage/idbProjectMedia';
import { createIdbProjectRepository } from '../adapters/storage/idbProjectRepository';
import { studioDbConnection } from '../adapters/storage/studioDb';
import { readImageFile } from '../adapters/files/imageFile';
import { folderPicker } from '../adapters/files/folderPicker';
import { createVideoOpener } from '../adapters/video/openVideo';
import { parseEncoderKind } from '../core/segmentation/encoders';
import { createAppStore } from '../store/appStore';
import { StoreProvider } from '../store/context';
import type { Clock, ExportEntry } from '../store/deps';
import { SAMPLE_VIDEO } from '../ui/credits';
import { App } from './App';
import './styles.css';

const params = new URLSearchParams(window.location.search);

const clock: Clock = {
  now: () => performance.now(),
  nextFrame: (callback) => {
    const id = requestAnimationFrame(() => callback());
    return () => cancelAnimationFrame(id);
  },
};

async function downloadZip(name: string, entries: AsyncIterable<ExportEntry>, onProgress?: (bytes: number) => void): Promise<'downloaded'> {
  const sink = blobSink();
  await writeZip(entries, sink, onProgress);
  downloadBlob(sink.blob(), name);
  return 'downloaded';
}

const projects = createIdbProjectRepository();
const store = createAppStore({
  // ?decoder=element forces the media-element fallback (to test it, or to work around a decoder bug).
  videoOpener: createVideoOpener({ decoder: params.get('decoder') === 'element' ? 'element' : 'auto' }),
  clock,
  segmenter: createWorkerSegmenter({ assetBase: document.baseURI, forceWasm: params.get('backend') === 'wasm' }),
  projects,
  media: createIdbProjectMedia(studioDbConnection()),
  // A relative base URL ("/proxy/v1", the built-in proxy) is resolved against the page.
  chatClient: ({ baseUrl, apiKey }) => createChatClient({ baseUrl: new URL(baseUrl, document.baseURI).href.replace(/\/$/, ''), apiKey }),
  agentClock: systemClock,
  preferences: createLocalPreferences(),
  files: {
    // ?save=download skips the save dialog (File System Access) and downloads, as tests need.
    saveZip: params.get('save') === 'download' ? downloadZip : saveZip,
    saveFile:
      params.get('save') === 'download'
        ? async (name, blob) => {
            downloadBlob(blob, name);
            return 'downloaded';
          }
        : saveBlob,
    readZip,
    readFolder,
    readResults: createWorkerResultsReader(),
    ...createWorkerImportParsers(),
    encodeDavisPngs: createWorkerDavisPngs(),
    decodeIndexPng,
    readImage: readImageFile,
    // ?folders=input: the folder <input> (copies) even where the directory picker exists, as tests need.
    pickFolder: params.get('folders') === 'input' ? null : folderPicker(),
  },
  // ?results=opfs: results files in the origin's private file system, named as suggested (a test cannot answer the save dialog).
  resultsFiles: params.get('results') === 'opfs' ? opfsResultsFiles() : saveDialogResultsFiles(),
});

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);

// The last project comes back as it was left; on a first visit the app opens with the built-in
// sample so it is useful with no setup (?sample=0 starts empty).
void store
  .getState()
  .startup(params.get('sample') === '0' ? null : { kind: 'url', url: new URL(SAMPLE_VIDEO.url, document.baseURI).href });

// An edit made just before the page goes away (reload, tab closed) is saved now rather than after
// the save debounce: the browser lets an IndexedDB transaction begun here finish.
window.addEventListener('pagehide', () => void store.getState().saveNow());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') void store.getState().saveNow();
});

// ?encoder=int8|fp32 chooses the SAM image encoder (remembered, as the "SAM encoder" setting is).
const encoder = parseEncoderKind(params.get('encoder'));
if (encoder !== null) void store.getState().chooseEncoder(encoder);
// The model loads in the background (first time: a 31 MB download with the int8 encoder, 45 MB
// with fp32, then from Cache Storage); ?model=off leaves it unloaded until a prompt tool needs it.
if (params.get('model') !== 'off') void store.getState().loadModel();

// Exposed for end-to-end tests and for poking around in the console; never read by the app.
declare global {
  interface Window {
    __videoSeekerStore?: typeof store;
    __videoSeekerBench?: { lastSaveStats: typeof projects.lastSaveStats };
  }
}
window.__videoSeekerStore = store;
// What the last save wrote, for bench:dataset.
window.__videoSeekerBench = { lastSaveStats: () => projects.lastSaveStats() };
