import { useMemo } from 'react';
import type { SavedQuery } from '../../core/agent/query';
import type { AppState } from '../../store/appStore';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectDialog } from '../../store/selectors';
import { Dialog } from '../../ui/Dialog';
import { QueryImage } from '../../ui/trajectory/QueryImage';
import { selectRunning } from './askSelectors';
import { TYPE_NAMES } from './PromptPicker';

const selectAllQueries = (s: AppState) => s.ask.queries;
const selectGroup = (s: AppState) => s.ask.styleGroup;

function StyleCell({ query, running }: { query: SavedQuery; running: boolean }) {
  const store = useAppStoreApi();
  const t = query.trajectory;
  const vpRef = { source: 'visual-prompt' as const, frame: query.visualPrompt.frame, width: 0, height: 0, bytes: 0 };
  const state = running ? (t.status === 'preparing' ? 'preparing…' : `round ${t.rounds.length}…`) : t.status === 'done' ? (t.answer ?? '') : t.status;
  return (
    <li className="style-cell" aria-label={TYPE_NAMES[query.visualPrompt.type]}>
      <QueryImage source={query} imageRef={vpRef} size="thumb" alt={`${TYPE_NAMES[query.visualPrompt.type]} prompt`} />
      <div className="style-name">{TYPE_NAMES[query.visualPrompt.type]}</div>
      <div className={`style-answer ${t.status}`} aria-label={`Answer with ${TYPE_NAMES[query.visualPrompt.type]}`}>
        {state === '' ? '(no answer)' : state}
      </div>
      <button
        type="button"
        className="small-button"
        onClick={() => {
          store.getState().selectQuery(query.id);
          store.getState().closeDialog();
        }}
      >
        Trajectory
      </button>
    </li>
  );
}

/** The same question under each of the 8 visual prompt types, side by side. */
export function StylesDialog() {
  const store = useAppStoreApi();
  const open = useAppStore(selectDialog) === 'styles';
  const all = useAppStore(selectAllQueries);
  const group = useAppStore(selectGroup);
  // Filtered here, not in the selector: a selector must return the same object for the same state.
  const queries = useMemo(() => (group === null ? [] : all.filter((q) => q.group === group)), [all, group]);
  const running = useAppStore(selectRunning);
  const answers = new Set(queries.filter((q) => q.trajectory.status === 'done').map((q) => q.trajectory.answer ?? ''));
  const first = queries[0];
  return (
    <Dialog title="Every prompt style" open={open} onClose={() => store.getState().closeDialog()} className="styles-dialog">
      {first ? (
        <>
          <p>
            {first.question} <span className="hint">about {first.instanceName}</span>
          </p>
          <p className="hint" role="status">
            {queries.filter((q) => running.includes(q.id)).length > 0
              ? `Running… ${queries.filter((q) => q.trajectory.finishedAt !== null).length} of ${queries.length} done`
              : answers.size <= 1
                ? 'The answer does not depend on how the object was pointed out.'
                : `${answers.size} different answers: the answer depends on the prompt style.`}
          </p>
          <ul className="style-grid">
            {queries.map((q) => (
              <StyleCell key={q.id} query={q} running={running.includes(q.id)} />
            ))}
          </ul>
          <button type="button" onClick={() => queries.forEach((q) => store.getState().cancelQuery(q.id))} disabled={!queries.some((q) => running.includes(q.id) || q.trajectory.status === 'preparing')}>
            Cancel all
          </button>
        </>
      ) : (
        <p className="hint">No styles asked yet.</p>
      )}
    </Dialog>
  );
}
