import { useAppStore, useAppStoreApi } from '../../store/context';
import { TrajectoryView } from '../../ui/trajectory/TrajectoryView';
import { selectRunning, selectSelectedQuery } from './askSelectors';
import { PromptPicker } from './PromptPicker';
import { QueryHistory } from './QueryHistory';
import { QuestionForm } from './QuestionForm';

function SelectedQuery() {
  const store = useAppStoreApi();
  const query = useAppStore(selectSelectedQuery);
  const running = useAppStore(selectRunning);
  if (query === null) return null;
  const isRunning = running.includes(query.id);
  const status = query.trajectory.status;
  return (
    <div className="selected-query">
      <div className="query-actions">
        {isRunning ? (
          <button type="button" onClick={() => store.getState().cancelQuery(query.id)}>
            Cancel query
          </button>
        ) : null}
        {!isRunning && (status === 'failed' || status === 'cancelled') ? (
          <button type="button" onClick={() => void store.getState().retryQuery(query.id)}>
            Retry
          </button>
        ) : null}
        <button type="button" disabled={isRunning} onClick={() => store.getState().reuseQuery(query.id)} title="Put this question back in the form, to ask again with other settings">
          Ask again…
        </button>
        <button type="button" onClick={() => store.getState().deleteQuery(query.id)}>
          Delete query
        </button>
      </div>
      <TrajectoryView query={query} running={isRunning} />
    </div>
  );
}

/** "Ask VideoSeeker": point out an object, ask about it, and follow the model's trajectory. */
export function AskPanel({ endpointButton }: { endpointButton: React.ReactNode }) {
  return (
    <section className="ask-panel" aria-label="Ask VideoSeeker">
      <div className="section-header">
        <h2>Ask VideoSeeker</h2>
        {endpointButton}
      </div>
      <PromptPicker />
      <QuestionForm />
      <SelectedQuery />
      <QueryHistory />
    </section>
  );
}
