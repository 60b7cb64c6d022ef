/**
 * Moving a project's data out and in. Export writes one ZIP, streamed (the video is stored, not
 * read into memory): the V2P-Bench layout (dataset_info.json, frames/<video>/<item>.jpg drawn
 * with each item's visual prompt, videos/<file>), studio.json (everything to restore the project
 * exactly), masks/coco.json (YouTube-VIS RLE) and masks/davis/<video>/<frame>.png (indexed PNGs).
 * Import reads the app's own ZIP (a new project, restored as it was) or a V2P-Bench dataset (its
 * items are added to this project; videos and frames are reported as found or missing). Every
 * file is validated before anything changes; a bad one leaves the project as it was. A dataset
 * file is size-checked before it is read and parsed off the UI thread with progress; one with more
 * than a few thousand items is added only after the user chose: to this project, into a new
 * project, or not at all.
 */
import type { StateCreator } from 'zustand';
import { overlayFor } from '../../core/agent/draft';
import { vpPhrase } from '../../core/agent/prompts';
import { checkMasksFit, toYouTubeVisDataset, type ImportedInstance, type ProjectVideoTarget, type YouTubeVisInput } from '../../core/formats/cocoMasks';
import { checkEntrySize, COCO_MASKS, DATASET_INFO, davisEntry, exportStems, fileExtension, fileStem, FRAMES_DIR, frameEntry, importLimits, STUDIO_JSON, VIDEOS_DIR, videoEntry } from '../../core/formats/zipPaths';
import { maskAt } from '../../core/propagation/lane';
import type { Rle } from '../../core/mask/rle';
import { rlesFromIndexMap, type DavisFrameMasks, type DavisPng } from '../../core/formats/davisIndex';
import { EMPTY_WORK, emptyDocument, videoMediaKey, type ProjectDocument, type ProjectVideo } from '../../core/project/document';
import { datasetSummary, needsConfirmation, type DatasetImportProgress } from '../../core/qa/datasetImport';
import { parseStudioJson, toStudioJson } from '../../core/qa/schemas';
import { frameNumberFromPath, fromV2pRecord, v2pPathsOf } from '../../core/qa/v2p';
import { rleBBox } from '../../core/mask/rle';
import { withMaskObjects, type MaskObject } from '../../core/annotation/maskObjects';
import type { AppState } from '../appStore';
import type { AppDeps, ArchiveEntry, ExportEntry, MediaHandle, PickedFolder } from '../deps';
import { datasetInfoFiles, planV2pDataset, promptImageKeys, renderedFramePath, summarizeV2pPlan, v2pRecordsOfProject, type V2pDatasetFile } from '../../core/qa/v2pDataset';

/** What to do with a large dataset: add its items to the open project, put them in a new project, or import nothing. */
export type ImportChoice = 'add' | 'new-project' | 'cancel';

export interface TransferSlice {
  transfer: {
    readonly busy: 'export' | 'import' | null;
    /** Bytes written so far while exporting. */
    readonly progress: number;
    /** How far reading and checking a dataset file has come (null when none is being read). */
    readonly importProgress: DatasetImportProgress | null;
    /** Whether an export carries the video files (else studio.json names them, to reconnect on import). */
    readonly includeVideos: boolean;
    /** The browser has a directory picker (folders are kept as references, not copied). */
    readonly folderPicker: boolean;
    /** A dataset with many items waits for `chooseImport` (null when nothing is asked). */
    readonly confirm: { readonly name: string; readonly count: number; readonly projectName: string } | null;
  };
  /** One ZIP of the whole project; `includeVideos`: the video files too (else studio.json names them, to reconnect on import). */
  exportDataset(options?: { readonly includeVideos?: boolean }): Promise<void>;
  /** A ZIP (the app's own, or a V2P-Bench dataset), a dataset_info.json, a picked folder's files, or a folder picked with its handle. */
  importDataset(input: Blob | readonly File[] | PickedFolder): Promise<void>;
  /** Picks a folder with the browser's directory picker (kept as a reference) and imports it; false where the browser has no such picker (use a folder `<input>`). Call from a click. */
  pickAndImportFolder(): Promise<boolean>;
  setExportVideos(include: boolean): void;
  /** The answer to `transfer.confirm`. */
  chooseImport(choice: ImportChoice): void;
  /** A YouTube-VIS / COCO RLE JSON (the app's masks/coco.json): its tracks become objects of the project's videos they are named for. */
  importCocoMasks(file: Blob): Promise<void>;
}

function dataUrlBytes(url: string): Uint8Array {
  const b64 = url.slice(url.indexOf(',') + 1);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
/** Frames per call to the DAVIS PNG encoder: 0.2–0.7 s of its work, a few hundred kB back. */
const DAVIS_PNG_BATCH = 16;
/** `a, b, c and 4 more`: a few named, the rest counted (a file may name hundreds of videos). */
const listSome = (names: readonly string[], shown = 3): string => (names.length <= shown ? names.join(', ') : `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`);

export function createTransferSlice(deps: AppDeps): StateCreator<AppState, [], [], TransferSlice> {
  return (set, get) => {
    const patch = (p: Partial<TransferSlice['transfer']>): void => set((s) => ({ transfer: { ...s.transfer, ...p } }));
    /** Resolves the question a large import is waiting on. */
    let answer: ((choice: ImportChoice) => void) | null = null;
    const ask = (name: string, count: number, projectName: string): Promise<ImportChoice> =>
      new Promise((resolve) => {
        answer = resolve;
        patch({ confirm: { name, count, projectName } });
      });

    /**
     * The entries of the export, video by video: each video's items' visual prompt frames (drawn
     * from its masks, or the item's own image file), its masks, and, when asked, its file. Frames
     * of videos other than the open one come from a decoder opened for the export (one at a time).
     */
    async function* exportEntries(doc: ProjectDocument, projectName: string, report: string[], includeVideos: boolean): AsyncGenerator<ExportEntry> {
      yield { name: STUDIO_JSON, data: JSON.stringify(toStudioJson(projectName, doc)) };
      const project = get().project.current;
      const framePaths = new Map<string, string | readonly string[]>();
      const videoOf = new Map(doc.videos.map((v) => [v.id, v]));
      const order = new Map(doc.qaItems.map((item, k) => [item.id, k]));
      const written = new Set<string>();
      let withoutFrame = 0;
      const masks: YouTubeVisInput[] = [];
      /** Videos whose frames could not be drawn, and videos that could not go into the archive. */
      const notDrawn: string[] = [];
      const notIncluded: string[] = [];
      const sizeUnknown: string[] = [];
      // Masks go under a name of each video's own (two clip.mp4 in different folders must not share masks/davis/clip/).
      const stems = exportStems(doc.videos.map((v) => v.path));
      for (const [v, video] of doc.videos.entries()) {
        const work = doc.work[video.id] ?? EMPTY_WORK;
        const items = doc.qaItems.filter((item) => item.projectVideoId === video.id);
        const stem = stems[v]!;
        // Items whose prompt is an image: the file itself, under its own name (as the dataset had it),
        // with the other frames of its record's frame_path list.
        for (const item of items) {
          if (item.promptImage === null) continue;
          framePaths.set(item.id, v2pPathsOf(item)?.framePath ?? item.promptImage.replace(/^frames\//, ''));
          for (const key of promptImageKeys(item)) {
            if (written.has(key) || project === null) continue;
            written.add(key);
            const read = await get().readProjectFile(key);
            if (read.ok) yield { name: key, data: read.file, compress: false };
            else report.push(`the prompt image ${key} is not available (${read.status.state === 'missing' ? read.status.reason : 'waiting for permission'})`);
          }
        }
        const drawn = items.filter((item) => item.promptImage === null && item.instanceId !== null && item.frame !== null && overlayFor(work, item.instanceId, item.frame, item.vpType, item.colour) !== null);
        const hasMasks = work.instances.length > 0 && (Object.keys(work.frames).length > 0 || Object.keys(work.masklets).length > 0);
        const entries: ExportEntry[] = [];
        if (drawn.length > 0) {
          try {
            await get().withVideoFrames(video.id, async (frames) => {
              for (const item of drawn) {
                const resolved = overlayFor(work, item.instanceId!, item.frame!, item.vpType, item.colour)!;
                const framePath = renderedFramePath(item, order.get(item.id)!, video);
                const [image] = await frames.encodeFrames([item.frame!], { width: frames.info.width, height: frames.info.height, format: 'jpeg', quality: 0.92, overlay: resolved.overlay });
                entries.push({ name: frameEntry(framePath), data: dataUrlBytes(image!.url), compress: false });
                framePaths.set(item.id, framePath);
              }
            });
          } catch (e) {
            notDrawn.push(`${video.path} (${message(e)})`);
          }
        }
        yield* entries;
        // Masks: YouTube-VIS JSON (all videos in one file, below) and DAVIS indexed PNGs, user masks and propagated ones alike.
        let facts = video.facts;
        if (hasMasks && facts === null) {
          // A video whose size is not known yet (masks imported onto it before it was ever opened): its file tells.
          try {
            const info = await get().withVideoFrames(video.id, async (frames) => frames.info);
            get().recordVideoFacts(video.id, info, null);
            facts = info;
          } catch (e) {
            sizeUnknown.push(`${video.path} (${message(e)})`);
          }
        }
        if (hasMasks && facts) {
          const { width, height, frameCount } = facts;
          const at = (id: string, f: number): Rle | null => maskAt(work.frames, work.masklets, id, f)?.rle ?? null;
          masks.push({ video: { name: `${stem}.${fileExtension(video.path) || 'mp4'}`, width, height, frameCount }, instances: work.instances, maskAt: at });
          // Pixel value = instance number 1..n (later instances win where masks overlap). The PNGs
          // are made off the UI thread, a batch ahead of the one being written.
          const ids = work.instances.map((i) => i.id);
          const batches: DavisFrameMasks[][] = [];
          for (let f = 0; f < frameCount; f++) {
            const frameMasks = ids.map((id) => at(id, f));
            if (frameMasks.every((m) => m === null)) continue;
            if (batches.length === 0 || batches.at(-1)!.length === DAVIS_PNG_BATCH) batches.push([]);
            batches.at(-1)!.push({ frame: f, masks: frameMasks });
          }
          const encode = (k: number): Promise<readonly DavisPng[]> => {
            const pending = deps.files.encodeDavisPngs({ width, height, frames: batches[k]! });
            // Awaited below; this only keeps a batch left behind by a cancelled export from being an unhandled rejection.
            pending.catch(() => undefined);
            return pending;
          };
          let next = batches.length > 0 ? encode(0) : null;
          for (let k = 0; next !== null; k++) {
            const pngs = await next;
            next = k + 1 < batches.length ? encode(k + 1) : null;
            for (const p of pngs) yield { name: davisEntry(stem, p.frame), data: p.png, compress: false };
          }
        }
        if (includeVideos && project !== null) {
          const read = await get().readProjectFile(videoMediaKey(video));
          if (read.ok) yield { name: videoEntry(video.path), data: read.file, compress: false };
          else notIncluded.push(`${video.path} (${read.status.state === 'missing' ? read.status.reason : 'waiting for permission'})`);
        }
      }
      if (masks.length > 0) yield { name: COCO_MASKS, data: JSON.stringify(toYouTubeVisDataset(masks)) };
      // The V2P records, in the items' order: an imported item's own paths and duration (equal
      // field by field to the record it came from), else its video's and the frame drawn above.
      const records = v2pRecordsOfProject(doc.qaItems, doc.videos, {
        framePathFor: (item) => {
          const drawn = framePaths.get(item.id);
          if (drawn === undefined) withoutFrame++;
          return typeof drawn === 'string' ? drawn : (drawn?.[0] ?? '');
        },
        phrase: (item) => {
          const video = item.projectVideoId !== null ? videoOf.get(item.projectVideoId) : undefined;
          const resolved = video && item.instanceId !== null && item.frame !== null ? overlayFor(doc.work[video.id] ?? EMPTY_WORK, item.instanceId, item.frame, item.vpType, item.colour) : null;
          return vpPhrase(item.vpType, resolved?.number ?? 1);
        },
      });
      yield { name: DATASET_INFO, data: JSON.stringify(records, null, 1) };
      if (sizeUnknown.length > 0) report.push(`the masks of ${sizeUnknown.length} video${sizeUnknown.length === 1 ? '' : 's'} whose size is not known and whose file${sizeUnknown.length === 1 ? ' is' : 's are'} not available were left out: ${sizeUnknown.slice(0, 3).join('; ')}${sizeUnknown.length > 3 ? '; …' : ''}`);
      if (withoutFrame > 0) report.push(`${withoutFrame} item${withoutFrame === 1 ? ' has' : 's have'} no visual prompt frame (no mask on its frame)`);
      const listed = (list: readonly string[]): string => `${list.slice(0, 3).join('; ')}${list.length > 3 ? `; and ${list.length - 3} more` : ''}`;
      if (notDrawn.length > 0) report.push(`the visual prompt frames of ${notDrawn.length} video${notDrawn.length === 1 ? ' were' : 's were'} not drawn: ${listed(notDrawn)}`);
      if (notIncluded.length > 0) report.push(`${notIncluded.length} video${notIncluded.length === 1 ? ' is' : 's are'} not in the archive (${notIncluded.length === 1 ? 'its file is' : 'their files are'} not available): ${listed(notIncluded)}`);
      if (!includeVideos) report.push('the videos themselves were left out (studio.json names them and their sizes, to reconnect them on import)');
    }

    /**
     * A V2P-Bench dataset file (`name`, for messages), parsed off the UI thread; `has(entry)` says
     * whether the archive or folder holds an entry (videos/…, frames/…). `projectName` names the
     * new project when the user puts a large dataset into one.
     */
    async function importV2p(name: string, file: Blob, has: (entry: string) => boolean, projectName: string): Promise<void> {
      patch({ importProgress: { phase: 'reading', done: 0, total: file.size } });
      // Progress crosses from the worker on its own channel: a report can arrive after the result.
      let reading = true;
      const parsed = await deps.files.parseDataset(file, name, (p) => reading && patch({ importProgress: p })).finally(() => (reading = false));
      patch({ importProgress: null });
      if (!parsed.ok) throw new Error(parsed.error);
      const now = deps.agentClock.now();
      const items = parsed.records.map((r, i) => fromV2pRecord(r, i, { idPrefix: `v2p-${now.toString(36)}-`, createdAt: now }));
      const summary = datasetSummary(name, parsed.records, has, parsed.warnings);
      const choice = needsConfirmation(items.length) ? await ask(name, items.length, projectName) : 'add';
      if (choice === 'cancel') {
        get().setQaReport(`Nothing was imported: you chose not to add the ${items.length} QA items of ${name}.`);
      } else if (choice === 'new-project') {
        await get().restoreProject(projectName, { ...emptyDocument(), qaItems: items }, []);
        get().setQaReport(`${summary} They are in the new project “${projectName}”.`);
      } else {
        get().addQaItems(items);
        get().setQaReport(summary);
      }
    }

    async function importArchive(entries: readonly ArchiveEntry[], sourceName: string, root: MediaHandle | null = null): Promise<void> {
      const byName = new Map(entries.map((e) => [e.name, e]));
      const studio = byName.get(STUDIO_JSON);
      if (studio) {
        const parsed = parseStudioJson(JSON.parse(new TextDecoder().decode(await studio.read())) as unknown);
        if (!parsed.ok) throw new Error(parsed.error);
        const doc = parsed.studio.document;
        // The project's files that travelled with it: its videos, and the prompt images of its items.
        const keys = [...doc.videos.map(videoMediaKey), ...new Set(doc.qaItems.flatMap(promptImageKeys))];
        const files: { key: string; file: Blob }[] = [];
        for (const key of keys) {
          const entry = byName.get(key);
          if (entry) files.push({ key, file: await entry.blob() });
        }
        await get().restoreProject(parsed.studio.project.name, doc, files);
        const objects = Object.values(doc.work).reduce((n, w) => n + w.instances.length, 0);
        const queries = Object.values(doc.work).reduce((n, w) => n + w.queries.length, 0);
        const videosIn = files.filter((f) => f.key.startsWith('videos/')).length;
        const left = doc.videos.length - videosIn;
        get().setQaReport(
          `Restored “${parsed.studio.project.name}”: ${doc.videos.length} video${doc.videos.length === 1 ? '' : 's'}, ${objects} objects, ${doc.qaItems.length} QA items, ${queries} queries${left > 0 ? `; ${left === doc.videos.length ? (left === 1 ? 'its video was' : 'its videos were') : `${left} of its videos were`} not in the archive: open ${left === 1 ? 'it' : 'them'} again to see ${left === 1 ? 'it' : 'them'}` : ''}.`,
        );
        return;
      }
      const listing = datasetInfoFiles(entries.map((e) => e.name), sourceName === '' ? 'the folder' : `“${sourceName}”`);
      const pngs = entries.filter((e) => /\.png$/i.test(e.name));
      if (!listing.ok && pngs.length > 0) {
        await importDavisMasks(pngs);
        return;
      }
      if (!listing.ok) throw new Error(`${listing.error} (Neither studio.json, a dataset_info*.json nor DAVIS-style mask PNGs were found.)`);
      const { prefix } = listing;
      const media = entries.filter((e) => e.name.startsWith(`${prefix}${VIDEOS_DIR}`) || e.name.startsWith(`${prefix}${FRAMES_DIR}`));
      if (media.length === 0 && listing.names.length === 1) {
        // The records alone (no videos/, no frames/): their items join the open project, as a lone dataset_info.json does.
        const only = byName.get(listing.names[0]!)!;
        await importV2p(only.name, await only.blob(), () => false, sourceName);
        return;
      }
      await importDatasetProject(listing.names.map((n) => byName.get(n)!), prefix, media, sourceName, root);
    }

    /**
     * A V2P-Bench folder or ZIP becomes a new project: one video per distinct video_path, every item
     * linked to its video and its prompt image. The folder is kept as a reference where the browser
     * gave a handle, else its videos and frames are copied into the browser in the background (the
     * project is usable at once). Missing videos and frames are listed with the items they affect.
     */
    async function importDatasetProject(datasetFiles: readonly ArchiveEntry[], prefix: string, media: readonly ArchiveEntry[], sourceName: string, root: MediaHandle | null): Promise<void> {
      const files: V2pDatasetFile[] = [];
      for (const entry of datasetFiles) {
        const tooLarge = checkEntrySize(entry.name, 'dataset', entry.size);
        if (tooLarge) throw new Error(tooLarge);
        patch({ importProgress: { phase: 'reading', done: 0, total: entry.size } });
        let reading = true;
        const parsed = await deps.files.parseDataset(await entry.blob(), entry.name, (p) => reading && patch({ importProgress: p })).finally(() => (reading = false));
        if (!parsed.ok) throw new Error(parsed.error);
        files.push({ name: entry.name.slice(prefix.length), records: parsed.records, warnings: parsed.warnings });
      }
      patch({ importProgress: null });
      const present = new Map(media.map((e) => [e.name.slice(prefix.length), e]));
      const now = deps.agentClock.now();
      const stamp = now.toString(36);
      const planned = planV2pDataset(files, (entry) => present.has(entry), { newVideoId: (i) => `video-${stamp}-${i}`, idPrefix: `v2p-${stamp}-`, createdAt: now, where: sourceName === '' ? 'the folder' : `“${sourceName}”` });
      if (!planned.ok) throw new Error(planned.error);
      const plan = planned.plan;
      const first = plan.videos.find((v) => present.has(videoMediaKey(v))) ?? null;
      const doc: ProjectDocument = { ...emptyDocument(), videos: plan.videos, openVideoId: first?.id ?? null, qaItems: plan.items };
      const keys = new Set([...plan.videos.map(videoMediaKey), ...plan.items.flatMap(promptImageKeys)]);
      const sources = [...keys].flatMap((key) => {
        const e = present.get(key);
        return e ? [{ key, size: e.size, blob: () => e.blob() }] : [];
      });
      await get().createDatasetProject(sourceName || 'V2P-Bench', doc, { folder: root, files: sources });
      get().setQaReport(`${summarizeV2pPlan(plan)} They are in the new project “${get().project.current?.name ?? sourceName}”.`);
    }

    /**
     * DAVIS-style annotations (one indexed PNG per frame, pixel value = object number) for the
     * open video: each object number becomes an instance, each of its masks a user mask on that
     * frame (with its box as the prompt, so it counts as an anchor and propagation can start from
     * it). Everything is checked before anything changes.
     */
    async function importDavisMasks(pngs: readonly ArchiveEntry[]): Promise<void> {
      const info = get().video.info;
      if (info === null) throw new Error('Open the video these masks belong to first.');
      const perObject = new Map<number, Map<number, Rle>>();
      for (const entry of pngs) {
        const frame = frameNumberFromPath(entry.name);
        if (frame === null || frame >= info.frameCount) throw new Error(`"${entry.name}" does not name a frame of this ${info.frameCount}-frame video (expected e.g. 00012.png)`);
        let decoded;
        try {
          decoded = deps.files.decodeIndexPng(await entry.read());
        } catch (e) {
          throw new Error(`"${entry.name}": ${message(e)}`, { cause: e });
        }
        if (decoded.width !== info.width || decoded.height !== info.height) {
          throw new Error(`"${entry.name}" is ${decoded.width}×${decoded.height}, the video ${info.width}×${info.height}`);
        }
        for (const [n, rle] of rlesFromIndexMap(decoded.index, decoded.width, decoded.height)) {
          if (n === 0) continue;
          if (!perObject.has(n)) perObject.set(n, new Map());
          perObject.get(n)!.set(frame, rle);
        }
      }
      if (perObject.size === 0) throw new Error('The mask PNGs contain no object (every pixel is 0).');
      const stamp = deps.agentClock.now().toString(36);
      addMaskObjects([...perObject].sort((a, b) => a[0] - b[0]).map(([n, masks]) => ({ id: `davis-${stamp}-${n}`, name: `DAVIS object ${n}`, masks })));
      get().setQaReport(`Imported ${perObject.size} object${perObject.size === 1 ? '' : 's'} from ${pngs.length} mask PNG${pngs.length === 1 ? '' : 's'}.`);
    }

    /**
     * Imported masks become objects of the open video, in one undoable step (see `withMaskObjects`).
     * Returns how many masks were added.
     */
    function addMaskObjects(objects: readonly MaskObject[]): number {
      const { doc, added } = withMaskObjects(get().annotation.history.present, objects);
      get().replaceAnnotations(doc);
      return added;
    }

    /**
     * A YouTube-VIS JSON's tracks onto the project's videos they are named for (see
     * `youTubeVisForVideos`), read once in the worker: the open video's as one undoable step, the
     * others' into their work (not undoable: undo is the open video's). A video of the file whose
     * size was not known yet (never opened) is opened once to learn it. Every check before anything
     * changes; videos of the file that are not in the project, or do not fit theirs, are named.
     */
    async function importCoco(file: Blob): Promise<void> {
      const name = (file as Partial<File>).name ?? 'coco.json';
      const project = get().project.current;
      const { videos, openVideoId } = get().dataset;
      const info = get().video.info;
      if (project === null || videos.length === 0) throw new Error('Open the video these masks belong to first.');
      const tooLarge = checkEntrySize(name, 'coco', file.size);
      if (tooLarge) throw new Error(tooLarge);
      const shown = (v: ProjectVideo): boolean => v.id === openVideoId && info !== null;
      // A file's video is named as the video's file (a foreign file) or as this app's export named its masks.
      const exported = exportStems(videos.map((v) => v.path));
      const targets: ProjectVideoTarget[] = videos.map((v, i) => ({ stems: [fileStem(v.path), exported[i]!], label: shown(v) ? 'the open video' : `“${v.path}”`, size: shown(v) ? info : v.facts }));
      const openIndex = videos.findIndex(shown);
      const read = await deps.files.parseCocoMasks(file, name, { targets, fallback: openIndex < 0 ? null : openIndex });
      if (!read.ok) throw new Error(read.error);
      const refused = [...read.refused];
      const empty: string[] = [];
      const planned: { video: ProjectVideo; instances: ImportedInstance[] }[] = [];
      /** Why videos of the file were not taken: a few reasons, the rest counted. */
      const notTaken = (): string => {
        const reasons = [...refused, ...empty.map((n) => `every track of the video "${n}" is empty`)];
        return `${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? `; and ${reasons.length - 3} more` : ''}`;
      };
      for (const m of read.matched) {
        const video = videos[m.target]!;
        const target = targets[m.target]!;
        if (target.size === null) {
          // Never opened: its size is learnt from its file (one decoder at a time, closed after).
          let learnt;
          try {
            learnt = await get().withVideoFrames(video.id, async (frames) => frames.info);
          } catch (e) {
            refused.push(`the masks of "${m.video.name}" need its video's size, but ${message(e).replace(/\.$/, '')}`);
            continue;
          }
          get().recordVideoFacts(video.id, learnt, null);
          const misfit = checkMasksFit(m.video, m.instances, target.label, learnt);
          if (misfit !== null) {
            refused.push(misfit);
            continue;
          }
        }
        const withMasks = m.instances.filter((i) => [...i.masks.values()].some((rle) => rleBBox(rle) !== null));
        if (withMasks.length === 0) empty.push(m.video.name);
        else planned.push({ video, instances: withMasks });
      }
      if (planned.length === 0) {
        if (refused.length === 0 && empty.length === 1) throw new Error(`"${name}" has no mask for the video "${empty[0]!}" (every track is empty).`);
        throw new Error(`"${name}": ${notTaken()}`);
      }
      if (get().project.current?.id !== project.id) throw new Error('Another project was opened while the masks were read.');
      const stamp = deps.agentClock.now().toString(36);
      // Named by category and track id ("COCO person 3"): a file's tracks often share a category.
      const objectsOf = (instances: readonly ImportedInstance[]): MaskObject[] => instances.map((i) => ({ id: `coco-${stamp}-${i.annotationId}`, name: `COCO ${i.name} ${i.annotationId}`, masks: i.masks }));
      const parts: string[] = [];
      let masks = 0;
      let objects = 0;
      let openGot = false;
      for (const { video, instances } of planned) {
        // Read now: the open video is the one open at this moment (a size learnt above took time).
        if (video.id === get().dataset.openVideoId) {
          masks += addMaskObjects(objectsOf(instances));
          openGot = true;
        } else {
          const work = get().dataset.stash[video.id] ?? EMPTY_WORK;
          const next = withMaskObjects({ instances: work.instances, activeId: work.activeId, frames: work.frames }, objectsOf(instances));
          get().setStashedWork(video.id, { ...work, ...next.doc });
          masks += next.added;
        }
        objects += instances.length;
        parts.push(`${plural(instances.length, 'object')} on ${video.id === get().dataset.openVideoId && get().video.info !== null ? 'the open video' : `“${video.path}”`}`);
      }
      const others = planned.length - (openGot ? 1 : 0);
      const lines = [
        planned.length === 1 && openGot
          ? `Imported ${plural(objects, 'object')} with ${plural(masks, 'mask')} from ${name}.`
          : `Imported ${plural(objects, 'object')} with ${plural(masks, 'mask')} on ${plural(planned.length, 'video')} from ${name}: ${listSome(parts)}.`,
        ...(read.note ? [read.note] : []),
        ...(others > 0 ? [`Masks put on ${others === 1 ? 'a video that is' : 'videos that are'} not open cannot be undone.`] : []),
        ...(read.unmatched.length > 0 ? [`Not in this project: ${listSome(read.unmatched.map((n) => `"${n}"`))}.`] : []),
        ...(refused.length + empty.length > 0 ? [`Not imported: ${notTaken()}.`] : []),
      ];
      get().setQaReport(lines.join(' '));
    }

    return {
      transfer: { busy: null, progress: 0, importProgress: null, confirm: null, includeVideos: true, folderPicker: deps.files.pickFolder !== null },

      setExportVideos(include) {
        patch({ includeVideos: include });
      },

      async exportDataset(options) {
        if (get().transfer.busy) return;
        const current = get().project.current;
        if (current === null) return;
        patch({ busy: 'export', progress: 0 });
        get().setQaReport(null);
        const report: string[] = [];
        try {
          await get().saveNow();
          const doc = get().projectDocument();
          const outcome = await deps.files.saveZip(`${fileStem(current.name) || 'project'}-dataset.zip`, exportEntries(doc, current.name, report, options?.includeVideos ?? true), (bytes) => patch({ progress: bytes }));
          if (outcome !== 'cancelled') get().setQaReport(`Exported ${doc.qaItems.length} QA items${report.length ? `; ${report.join('; ')}` : ''}.`);
        } catch (e) {
          get().setQaReport(null, `Export failed: ${message(e)}`);
        } finally {
          patch({ busy: null });
        }
      },

      async importDataset(input) {
        if (get().transfer.busy) return;
        patch({ busy: 'import' });
        get().setQaReport(null);
        try {
          if (input instanceof Blob) {
            const name = (input as Partial<File>).name ?? DATASET_INFO;
            if (name.toLowerCase().endsWith('.json')) {
              // A lone dataset_info.json: the limit of a dataset entry in a ZIP, before a byte is read.
              const tooLarge = checkEntrySize(name, 'dataset', input.size);
              if (tooLarge) throw new Error(tooLarge);
              await importV2p(name, input, () => false, fileStem(name));
              return;
            }
            const read = await deps.files.readZip(input, importLimits);
            if (!read.ok) throw new Error(read.error);
            await importArchive(read.entries, fileStem(name));
          } else if ('root' in input) {
            await importArchive(input.entries, input.name, input.root);
          } else {
            const read = await deps.files.readFolder(input, importLimits);
            if (!read.ok) throw new Error(read.error);
            await importArchive(read.entries, input[0]?.webkitRelativePath.split('/')[0] || 'Imported dataset');
          }
        } catch (e) {
          get().setQaReport(null, `Nothing was imported: ${message(e)}`);
        } finally {
          patch({ busy: null, importProgress: null, confirm: null });
        }
      },

      async pickAndImportFolder() {
        const pick = deps.files.pickFolder;
        if (pick === null) return false;
        let picked: PickedFolder | null;
        try {
          picked = await pick(importLimits);
        } catch (e) {
          get().setQaReport(null, `Nothing was imported: ${message(e)}`);
          return true;
        }
        if (picked !== null) await get().importDataset(picked);
        return true;
      },

      async importCocoMasks(file) {
        if (get().transfer.busy) return;
        patch({ busy: 'import' });
        get().setQaReport(null);
        try {
          await importCoco(file);
        } catch (e) {
          get().setQaReport(null, `Nothing was imported: ${message(e)}`);
        } finally {
          patch({ busy: null });
        }
      },

      chooseImport(choice) {
        const resolve = answer;
        answer = null;
        patch({ confirm: null });
        resolve?.(choice);
      },
    };
  };
}
