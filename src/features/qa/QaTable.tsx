import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import { vpPhrase } from '../../core/agent/prompts';
import { dimensionShort, dimensionName } from '../../core/qa/dimensions';
import type { QaItem } from '../../core/qa/model';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { SortHeader, SpacerRow } from '../../ui/SortableTable';
import type { QaSortKey } from '../../store/slices/qaSlice';
import { objectNameLookup, videoPathLookup } from '../../core/qa/tableView';
import { selectInstanceNames, selectOpenVideo, selectProjectVideos, selectQaItems, selectQaSelected, selectQaView, selectStashedWork, visibleItems } from './qaSelectors';

const COLUMNS: { key: QaSortKey; label: string }[] = [
  { key: 'created', label: '#' },
  { key: 'object', label: 'Object' },
  { key: 'frame', label: 'Frame' },
  { key: 'type', label: 'Prompt' },
  { key: 'question', label: 'Question' },
  { key: 'dimension', label: 'Dimension' },
];

/** The question as it will be sent: `<vp>` shown with the type's phrase. */
function rendered(item: QaItem): string {
  return item.question.split('<vp>').join(`[${vpPhrase(item.vpType, 1)}]`);
}

/** A row's first estimate (one line of question); rows are measured as they are drawn. */
const ROW_ESTIMATE = 26;

/**
 * Every QA item: sortable columns, the filtered and searched rows; ↑/↓ move, Delete deletes,
 * Ctrl+Z undoes. Virtualised: only the rows in view are in the DOM, so 100,000 imported items
 * render as fast as 10 (spacer rows stand for the rest).
 */
export function QaTable() {
  const store = useAppStoreApi();
  const items = useAppStore(selectQaItems);
  const selectedId = useAppStore(selectQaSelected);
  const view = useAppStore(selectQaView);
  const instances = useAppStore(selectInstanceNames);
  const stash = useAppStore(selectStashedWork);
  const videos = useAppStore(selectProjectVideos);
  const openVideo = useAppStore(selectOpenVideo);
  // Objects of every video (each item's object belongs to its own video), and the videos' paths.
  const nameOf = useMemo(() => objectNameLookup([instances, ...Object.values(stash).map((w) => w.instances)]), [instances, stash]);
  const videoOf = useMemo(() => videoPathLookup(videos), [videos]);
  const rows = useMemo(() => visibleItems(items, view, nameOf, videoOf), [items, view, nameOf, videoOf]);
  // The # column is the item's place in the dataset (a lookup: indexOf per row is quadratic).
  const position = useMemo(() => new Map(items.map((it, i) => [it.id, i + 1])), [items]);
  const scroller = useRef<HTMLDivElement>(null);
  // The app is not built with the React Compiler; the virtualizer re-renders through its own state.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_ESTIMATE, overscan: 10, getItemKey: (i) => rows[i]!.id });
  const selectedIndex = selectedId === null ? -1 : rows.findIndex((r) => r.id === selectedId);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);
  const shown = virtualizer.getVirtualItems();
  const above = shown[0]?.start ?? 0;
  const below = virtualizer.getTotalSize() - (shown[shown.length - 1]?.end ?? 0);
  const move = (delta: number): void => {
    const i = rows.findIndex((r) => r.id === selectedId);
    const next = rows[Math.max(0, Math.min(rows.length - 1, (i < 0 ? 0 : i) + delta))];
    if (next) store.getState().selectQaItem(next.id);
  };
  return (
    <div
      ref={scroller}
      className="qa-table-wrap"
      tabIndex={0}
      role="region"
      aria-label="QA items table"
      onKeyDown={(e) => {
        if (e.target !== e.currentTarget && !(e.target instanceof HTMLTableRowElement)) return;
        if (e.key === 'ArrowDown') move(1);
        else if (e.key === 'ArrowUp') move(-1);
        else if ((e.key === 'Delete' || e.key === 'Backspace') && selectedId) store.getState().deleteQaItem(selectedId);
        else if (e.key === 'Enter' && selectedId) void store.getState().openQaItem(selectedId);
        else if (e.key.toLowerCase() === 'z' && (e.ctrlKey || e.metaKey)) (e.shiftKey ? store.getState().redoQa : store.getState().undoQa)();
        else return;
        e.preventDefault();
        e.stopPropagation();
      }}
    >
      <table className="qa-table" aria-label="QA items" aria-rowcount={rows.length + 1}>
        <SortHeader columns={COLUMNS} sort={view.sort} descending={view.descending} onSort={(sort, descending) => store.getState().setQaView({ sort, descending })} />
        <tbody>
          {above > 0 ? <SpacerRow height={above} columns={COLUMNS.length} /> : null}
          {shown.map(({ index }) => {
            const it = rows[index]!;
            return (
              <tr
                key={it.id}
                ref={virtualizer.measureElement}
                data-index={index}
                aria-rowindex={index + 2}
                aria-selected={it.id === selectedId}
                className={it.id === selectedId ? 'selected' : undefined}
                onClick={() => store.getState().selectQaItem(it.id)}
                onDoubleClick={() => void store.getState().openQaItem(it.id)}
              >
                <td>{position.get(it.id)}</td>
                <td>
                  {it.promptImage !== null ? '—' : nameOf(it.instanceId)}
                  {/* Whose video: the open one's items are marked, the others' name theirs. */}
                  <div className={it.projectVideoId !== null && it.projectVideoId === openVideo ? 'qa-video open' : 'qa-video'} title={videoOf(it.projectVideoId)}>
                    {videoOf(it.projectVideoId)}
                  </div>
                </td>
                <td>{it.frame ?? '—'}</td>
                <td>{it.promptImage !== null ? <span title={`The visual prompt is the image ${it.promptImage.replace(/^(frames|images)\//, '')}`}>image</span> : it.vpType}</td>
                <td className="qa-question">
                  {rendered(it) || <span className="hint">(no question yet)</span>}
                  {it.options.length > 0 ? <span className="hint"> · {it.options.length} options · answer {it.answer || '?'}</span> : it.answer ? <span className="hint"> · {it.answer}</span> : null}
                </td>
                <td title={it.dimension === null ? '' : dimensionName(it.dimension)}>{it.dimension === null ? '—' : dimensionShort(it.dimension)}</td>
              </tr>
            );
          })}
          {below > 0 ? <SpacerRow height={below} columns={COLUMNS.length} /> : null}
        </tbody>
      </table>
      {rows.length === 0 ? <p className="hint">{items.length === 0 ? 'No QA items yet: mark an object, then press Q.' : 'No item matches the search.'}</p> : null}
    </div>
  );
}
