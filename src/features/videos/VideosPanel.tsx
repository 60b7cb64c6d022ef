import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import { describeMediaStatus, type PickedVideo } from '../../store/slices/datasetSlice';
import { videoRows, visibleVideoRows, type VideoRow, type VideoSortKey } from '../../core/project/videoList';
import { formatTime } from '../../core/video/timecode';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { SortHeader, SpacerRow } from '../../ui/SortableTable';
import { formatBytes } from '../../ui/format';
import {
  selectAvailability,
  selectCopying,
  selectDatasetVideos,
  selectCanPickFolders,
  selectHasProject,
  selectItems,
  selectOpenInstances,
  selectOpenVideoId,
  selectRuns,
  selectStash,
  selectStorage,
  selectSwitching,
  selectVideoView,
} from './videoSelectors';

const COLUMNS: { key: VideoSortKey; label: string }[] = [
  { key: 'path', label: 'Video' },
  { key: 'duration', label: 'Length' },
  { key: 'objects', label: 'Objects' },
  { key: 'items', label: 'QA' },
  { key: 'results', label: 'Results' },
  { key: 'availability', label: 'File' },
];

const ROW_HEIGHT = 30;

/** Picked files as videos of the project: a folder's files keep their path inside it. */
function picked(files: readonly File[]): PickedVideo[] {
  return files
    .filter((f) => f.type.startsWith('video/') || /\.(mp4|m4v|mov|webm|mkv)$/i.test(f.name))
    .map((file) => {
      const rel = file.webkitRelativePath;
      const slash = rel.indexOf('/');
      return { file, path: rel && slash >= 0 ? rel.slice(slash + 1) : file.name, handle: null };
    });
}

/** A short label for the cell, and the whole story for its tooltip. */
function availabilityLabel(row: VideoRow): { short: string; long: string } {
  if (row.problem !== null) return { short: 'Cannot be opened', long: `Cannot be opened: ${row.problem}` };
  const long = describeMediaStatus(row.availability ?? undefined);
  const a = row.availability;
  const short = a === null ? 'Not checked' : a.state === 'missing' ? 'Missing' : a.state === 'needs-permission' ? 'Needs permission' : a.keeping === 'reference' ? 'Your file' : 'In browser';
  return { short, long };
}

/**
 * Every video of the project: duration, resolution, objects, QA items, results and whether its
 * file can be read; search and sort; click or Enter opens one (the open one is highlighted).
 * Virtualised, so a 1,000-video benchmark lists as fast as one video.
 */
export function VideosPanel() {
  const store = useAppStoreApi();
  const videos = useAppStore(selectDatasetVideos);
  const openId = useAppStore(selectOpenVideoId);
  const switching = useAppStore(selectSwitching);
  const availability = useAppStore(selectAvailability);
  const view = useAppStore(selectVideoView);
  const storage = useAppStore(selectStorage);
  const copying = useAppStore(selectCopying);
  const stash = useAppStore(selectStash);
  const openInstances = useAppStore(selectOpenInstances);
  const items = useAppStore(selectItems);
  const runs = useAppStore(selectRuns);
  const hasProject = useAppStore(selectHasProject);
  const canPickFolders = useAppStore(selectCanPickFolders);
  const rows = useMemo(() => {
    // The open video's work lives in the annotation slice; its object count comes from there.
    const work = openId === null ? stash : { ...stash, [openId]: { instances: openInstances, activeId: null, frames: {}, queries: [], masklets: {} } };
    return visibleVideoRows(videoRows(videos, work, items, runs, availability), view);
  }, [videos, stash, openId, openInstances, items, runs, availability, view]);
  const waiting = useMemo(() => Object.values(availability).some((a) => a.state === 'needs-permission'), [availability]);
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10, getItemKey: (i) => rows[i]!.id });
  const openIndex = openId === null ? -1 : rows.findIndex((r) => r.id === openId);
  useEffect(() => {
    if (openIndex >= 0) virtualizer.scrollToIndex(openIndex, { align: 'auto' });
  }, [openIndex, virtualizer]);
  useEffect(() => {
    void store.getState().refreshAvailability();
  }, [store]);
  const shown = virtualizer.getVirtualItems();
  const above = shown[0]?.start ?? 0;
  const below = virtualizer.getTotalSize() - (shown[shown.length - 1]?.end ?? 0);
  const open = (id: string): void => void store.getState().switchVideo(id);

  return (
    <section className="videos-panel" aria-label="Videos">
      <div className="videos-toolbar">
        <input type="search" aria-label="Search videos" placeholder="Search videos" value={view.search} onChange={(e) => store.getState().setVideoView({ search: e.currentTarget.value })} />
        <label className="file-button small">
          Add videos
          <input type="file" aria-label="Add videos" accept="video/*,.mp4,.webm,.mkv,.mov" multiple onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = '';
            void store.getState().addVideoFiles(picked(files));
          }} />
        </label>
        <label
          className="file-button small"
          onClick={(e) => {
            // The directory picker keeps a reference to the folder (nothing copied) where the browser has one.
            if (canPickFolders && e.target instanceof HTMLInputElement) {
              e.preventDefault();
              void store.getState().pickVideoFolder();
            }
          }}
        >
          Add a folder of videos
          <input type="file" aria-label="Add a folder of videos" {...{ webkitdirectory: '' }} onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = '';
            void store.getState().addVideoFiles(picked(files));
          }} />
        </label>
        {waiting ? (
          <button type="button" className="small-button" onClick={() => void store.getState().reconnectMedia()}>
            Reconnect files
          </button>
        ) : null}
      </div>
      {copying ? (
        <div className="import-progress" role="status" aria-label="Copying files">
          <progress aria-label="Copying files into the browser" max={copying.total} value={copying.done} />
          <span>
            Copying the dataset into this browser: {copying.done} of {copying.total} files
          </span>
        </div>
      ) : null}
      <div
        ref={scroller}
        className="videos-table-wrap"
        tabIndex={0}
        role="region"
        aria-label="Project videos list"
        onKeyDown={(e) => {
          if (e.target !== e.currentTarget) return;
          const i = Math.max(0, openIndex);
          if (e.key === 'ArrowDown' && rows[i + 1]) open(rows[i + 1]!.id);
          else if (e.key === 'ArrowUp' && i > 0) open(rows[i - 1]!.id);
          else return;
          e.preventDefault();
        }}
      >
        <table className="videos-table" aria-label="Project videos" aria-rowcount={rows.length + 1}>
          <SortHeader columns={COLUMNS} sort={view.sort} descending={view.descending} onSort={(sort, descending) => store.getState().setVideoView({ sort, descending })} />
          <tbody>
            {above > 0 ? <SpacerRow height={above} columns={COLUMNS.length} /> : null}
            {shown.map(({ index }) => {
              const r = rows[index]!;
              const bad = r.problem !== null || (r.availability !== null && r.availability.state !== 'available');
              return (
                <tr
                  key={r.id}
                  ref={virtualizer.measureElement}
                  data-index={index}
                  aria-rowindex={index + 2}
                  aria-selected={r.id === openId}
                  aria-current={r.id === openId ? 'true' : undefined}
                  aria-busy={r.id === switching}
                  tabIndex={0}
                  className={[r.id === openId ? 'selected' : '', bad ? 'unavailable' : ''].join(' ').trim() || undefined}
                  onClick={() => open(r.id)}
                  onKeyDown={(e) => {
                    if (e.key !== 'Enter' && e.key !== ' ') return;
                    e.preventDefault();
                    open(r.id);
                  }}
                >
                  <td className="video-path" title={r.path}>
                    {r.path}
                    {r.width !== null ? <span className="hint"> · {r.width}×{r.height}</span> : null}
                  </td>
                  <td>{r.durationS === null ? '—' : formatTime(r.durationS, 1)}</td>
                  <td>{r.objects}</td>
                  <td>{r.items}</td>
                  <td>{r.results}</td>
                  <td className={bad ? 'video-file bad' : 'video-file'} title={availabilityLabel(r).long}>
                    {availabilityLabel(r).short}
                  </td>
                </tr>
              );
            })}
            {below > 0 ? <SpacerRow height={below} columns={COLUMNS.length} /> : null}
          </tbody>
        </table>
        {rows.length === 0 ? <p className="hint">{videos.length === 0 ? (hasProject ? 'No videos yet: add videos, or import a V2P-Bench folder in the QA dataset tab.' : 'Open a video to start a project.') : 'No video matches the search.'}</p> : null}
      </div>
      <p className="hint videos-summary" aria-label="Storage">
        {videos.length} video{videos.length === 1 ? '' : 's'}
        {storage ? ` · this browser stores ${formatBytes(storage.usedBytes)} of ${formatBytes(storage.quotaBytes)} allowed` : ''}
      </p>
    </section>
  );
}
