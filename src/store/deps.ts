/** What the store needs from the outside world; the composition root passes the browser versions. */
import type { CocoMasksRequest, YouTubeVisForVideos } from '../core/formats/cocoMasks';
import type { DavisPng, DavisPngRequest } from '../core/formats/davisIndex';
import type { AgentClock, ChatClient, EncodedImage } from '../core/agent/ports';
import type { Preferences, Segmenter, VideoOpener } from '../core/ports';
import type { ProjectMedia } from '../core/project/media';
import type { ProjectRepository } from '../core/project/repository';
import type { DatasetImportProgress } from '../core/qa/datasetImport';
import type { V2pDatasetParse } from '../core/qa/schemas';
import type { ResultParse } from '../core/review/resultLines';
import type { ResultsFiles } from '../core/review/resultsFile';

/** A drawable image the UI can show and must release (an ImageBitmap in the browser). */
export type FrameImage = ImageBitmap;

/** A reference to a user's file or folder the browser lets the app keep (a FileSystemHandle). */
export type MediaHandle = FileSystemHandle;

export interface Clock {
  now(): number;
  /** Calls `callback` before the next repaint; returns a cancel function. */
  nextFrame(callback: () => void): () => void;
}

export interface AppDeps {
  readonly videoOpener: VideoOpener<Blob, FrameImage>;
  readonly clock: Clock;
  readonly segmenter: Segmenter<FrameImage>;
  readonly projects: ProjectRepository;
  /** Where a project's videos and images are kept (references or copies; see core/project/media.ts). */
  readonly media: ProjectMedia<Blob, MediaHandle>;
  /** A Chat Completions client for one endpoint (fetch in the browser, a fake in tests). */
  readonly chatClient: (endpoint: { readonly baseUrl: string; readonly apiKey: string }) => ChatClient;
  /** Wall-clock time and abortable sleeps for the agent loop (latency, retry backoff). */
  readonly agentClock: AgentClock;
  /** Small values kept on this machine only (the endpoint settings, API key included). */
  readonly preferences: Preferences;
  readonly files: DatasetFiles;
  /** Files a batch run's results are appended to as they finish; absent or null where the browser cannot write one (no File System Access). */
  readonly resultsFiles?: ResultsFiles<Blob> | null;
}


/** A file of an archive or a picked folder, read only when asked. */
export interface ArchiveEntry {
  readonly name: string;
  readonly size: number;
  read(): Promise<Uint8Array>;
  blob(): Promise<Blob>;
}

export interface ExportEntry {
  readonly name: string;
  readonly data: Blob | Uint8Array | string;
  /** Default: deflate text and bytes, store Blobs (videos) as they are. */
  readonly compress?: boolean;
}

export type ArchiveRead = { readonly ok: true; readonly entries: readonly ArchiveEntry[] } | { readonly ok: false; readonly error: string };

export interface ArchiveLimits {
  readonly maxEntryBytes: (name: string) => number;
  readonly maxEntries?: number;
}

/** What a saved file is, for the save dialog's type filter. */
export interface SaveKind {
  readonly description: string;
  readonly mime: string;
  readonly extension: string;
}

/** A folder picked with the browser's directory picker: its files, and a handle to keep as a reference. */
export interface PickedFolder {
  readonly name: string;
  readonly root: MediaHandle;
  /** Every file under it, named by its path inside it. */
  readonly entries: readonly ArchiveEntry[];
}

/** ZIP writing and reading, picked folders and PNG masks (adapters/files). */
export interface DatasetFiles {
  saveZip(name: string, entries: AsyncIterable<ExportEntry>, onProgress?: (bytes: number) => void): Promise<'saved' | 'downloaded' | 'cancelled'>;
  /** A results file read and parsed (off the UI thread in the browser); rejects when it cannot be read. */
  readResults(file: Blob): Promise<ResultParse>;
  /** A small file (results, scores): to a picked place where the browser can, else a download. */
  saveFile(name: string, data: Blob, kind: SaveKind): Promise<'saved' | 'downloaded' | 'cancelled'>;
  /** A dataset_info.json read, parsed and checked (off the UI thread in the browser), with progress; `name` is for messages. */
  parseDataset(file: Blob, name: string, onProgress: (progress: DatasetImportProgress) => void): Promise<V2pDatasetParse>;
  /** A YouTube-VIS / COCO RLE JSON read once, parsed and checked for the project's videos (off the UI thread in the browser); `name` is for messages. */
  parseCocoMasks(file: Blob, name: string, request: CocoMasksRequest): Promise<YouTubeVisForVideos>;
  readZip(file: Blob, limits: ArchiveLimits): Promise<ArchiveRead>;
  readFolder(files: readonly File[], limits: ArchiveLimits): Promise<ArchiveRead>;
  /** The browser's directory picker (File System Access), null where it has none; resolves null when the user cancels. */
  readonly pickFolder: ((limits: ArchiveLimits) => Promise<PickedFolder | null>) | null;
  /** DAVIS index-map PNGs of some frames of one video (off the UI thread in the browser); rejects as `indexMapFor` throws. */
  encodeDavisPngs(request: DavisPngRequest): Promise<readonly DavisPng[]>;
  /** An image file as the model gets it: its own bytes as a data URL (not re-encoded), with its size; rejects for a file that is not an image. */
  readImage(file: Blob): Promise<EncodedImage>;
  /** Pixel value = palette index (indexed PNGs) or colours numbered in order of appearance; throws on a bad file. */
  decodeIndexPng(bytes: Uint8Array): { width: number; height: number; index: Uint8Array };
}
