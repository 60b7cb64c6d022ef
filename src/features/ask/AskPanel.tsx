import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { TrajectoryView } from '../../ui/trajectory/TrajectoryView';
import { selectRunning, selectSelectedQuery } from './askSelectors';
import { PromptPicker } from './PromptPicker';
import { QueryHistory } from './QueryHistory';
import { QuestionForm } from './QuestionForm';

/** Within this many pixels of the bottom, the results area follows a streaming trajectory. */
const FOLLOW_SLACK_PX = 80;

function SelectedQuery() {
  const store = useAppStoreApi();
  const query = useAppStore(selectSelectedQuery);
  const running = useAppStore(selectRunning);
  const isRunning = query !== null && running.includes(query.id);
  if (query === null) return null;
  const status = query.trajectory.status;
  return (
    <div className="selected-query">
      <div className="query-actions">
        {!isRunning && (status === 'failed' || status === 'cancelled' || status === 'interrupted') ? (
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

/**
 * "Ask VideoSeeker": point out an object, ask about it, and follow the model's trajectory. The
 * form and the results scroll separately, so a long trajectory never pushes the form away.
 */
export function AskPanel({ endpointButton }: { endpointButton: ReactNode }) {
  const results = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const query = useAppStore(selectSelectedQuery);
  const running = useAppStore(selectRunning);
  const id = query?.id ?? null;
  const trajectory = query?.trajectory;
  const isRunning = query !== null && running.includes(query.id);
  // A newly asked (or picked) query starts at its top, then follows its stream while the user
  // stays at the bottom.
  useEffect(() => {
    const el = results.current;
    if (id === null || !el) return;
    el.scrollTop = 0;
    following.current = true;
  }, [id]);
  useLayoutEffect(() => {
    const el = results.current;
    if (el && isRunning && following.current && el.scrollHeight > el.clientHeight) el.scrollTop = el.scrollHeight;
  }, [trajectory, isRunning]);
  const onScroll = (): void => {
    const el = results.current;
    if (el) following.current = el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_SLACK_PX;
  };
  return (
    <section className="ask-panel" aria-label="Ask VideoSeeker">
      <div className="section-header">
        <h2>Ask VideoSeeker</h2>
        {endpointButton}
      </div>
      {/* The visual prompt scrolls in its own area; the question and its Ask button stay in view at the bottom, as in a chat. */}
      <div className="ask-form-area">
        <PromptPicker />
      </div>
      <div className="ask-results-area" ref={results} onScroll={onScroll}>
        <QueryHistory />
        <SelectedQuery />
      </div>
      <div className="ask-question-area">
        <QuestionForm />
      </div>
    </section>
  );
}
