import { DIMENSIONS } from '../../core/qa/dimensions';
import { actions } from '../../store/actions';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { ActionButton } from '../../ui/ActionButton';
import { QaEditor } from './QaEditor';
import { QaTable } from './QaTable';
import { QaTransfer } from './QaTransfer';
import { selectQaCanRedo, selectQaCanUndo, selectQaError, selectQaItems, selectQaReport, selectQaView } from './qaSelectors';

/** The project's QA dataset: the table of items, the selected item's editor, import and export. */
export function QaPanel() {
  const store = useAppStoreApi();
  const items = useAppStore(selectQaItems);
  const view = useAppStore(selectQaView);
  const error = useAppStore(selectQaError);
  const report = useAppStore(selectQaReport);
  const canUndo = useAppStore(selectQaCanUndo);
  const canRedo = useAppStore(selectQaCanRedo);
  return (
    <section className="qa-panel" aria-label="QA dataset">
      <div className="section-header">
        <h2>QA dataset ({items.length})</h2>
        <ActionButton action={actions.newQaItem} className="small-button">
          + New QA item
        </ActionButton>
      </div>
      <div className="qa-toolbar">
        <input type="search" aria-label="Search QA items" placeholder="Search" value={view.search} onChange={(e) => store.getState().setQaView({ search: e.target.value })} />
        <select aria-label="Filter by dimension" value={view.dimension ?? ''} onChange={(e) => store.getState().setQaView({ dimension: e.target.value === '' ? null : Number(e.target.value) })}>
          <option value="">All dimensions</option>
          {DIMENSIONS.map((d) => (
            <option key={d.code} value={d.code}>
              {d.short} — {d.name}
            </option>
          ))}
        </select>
        <button type="button" className="small-button" disabled={!canUndo} onClick={() => store.getState().undoQa()}>
          Undo QA edit
        </button>
        <button type="button" className="small-button" disabled={!canRedo} onClick={() => store.getState().redoQa()}>
          Redo QA edit
        </button>
      </div>
      <QaTransfer />
      <QaTable />
      <QaEditor />
      {report ? (
        <p className="hint" role="status">
          {report}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
