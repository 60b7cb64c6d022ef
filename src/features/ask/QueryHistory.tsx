import type { SavedQuery } from '../../core/agent/query';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectQueries, selectRunning, selectSelectedQueryId } from './askSelectors';
import { TYPE_NAMES } from './PromptPicker';

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

function outcome(q: SavedQuery, running: boolean): string {
  if (running) return q.trajectory.status === 'preparing' ? 'preparing…' : 'running…';
  const t = q.trajectory;
  if (t.status === 'done') return t.answer ? `→ ${t.answer.length > 40 ? `${t.answer.slice(0, 39)}…` : t.answer}` : 'no answer';
  return t.status;
}

/** Every query of the project, newest first; the selected one is shown below. */
export function QueryHistory() {
  const store = useAppStoreApi();
  const queries = useAppStore(selectQueries);
  const running = useAppStore(selectRunning);
  const selectedId = useAppStore(selectSelectedQueryId);
  if (queries.length === 0) return null;
  return (
    <section className="query-history" aria-label="Query history">
      <h3>History ({queries.length})</h3>
      <ul>
        {[...queries].reverse().map((q) => {
          const isRunning = running.includes(q.id);
          return (
            <li key={q.id} className={q.id === selectedId ? 'selected' : undefined}>
              <button type="button" className="query-row" aria-pressed={q.id === selectedId} onClick={() => store.getState().selectQuery(q.id)}>
                <span className="query-question">{q.sentQuestion}</span>
                <span className="hint">
                  {timeFormat.format(q.createdAt)} · {q.instanceName} · {TYPE_NAMES[q.visualPrompt.type]} · {q.settings.mode} · <span className={`outcome ${q.trajectory.status}`}>{outcome(q, isRunning)}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
