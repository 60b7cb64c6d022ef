import { filledOptions, phraseFor } from '../../core/agent/draft';
import { OPTION_LETTERS, VISUAL_PROMPT_TYPES, VP_PLACEHOLDER, vpPhrase } from '../../core/agent/prompts';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { TYPE_NAMES } from './PromptPicker';
import { selectAskError, selectDraft, selectRunning, selectSelectedQuery } from './askSelectors';

/** The question (with `<vp>`), its phrase, optional options A–D, and the Ask buttons. */
export function QuestionForm() {
  const store = useAppStoreApi();
  const draft = useAppStore(selectDraft);
  const error = useAppStore(selectAskError);
  const running = useAppStore(selectRunning);
  const selected = useAppStore(selectSelectedQuery);
  const setDraft = store.getState().setDraft;
  const selectedRunning = selected !== null && running.includes(selected.id);
  // Nothing to warn about before the user typed something: an empty box has no <vp> by nature.
  const missingVp = draft.question.trim() !== '' && !draft.question.includes(VP_PLACEHOLDER);
  const protocolPhrase = vpPhrase(draft.vpType, 1);
  return (
    <form
      className="question-form"
      onSubmit={(e) => {
        e.preventDefault();
        void store.getState().askQuestion();
      }}
    >
      <label className="stacked">
        Question
        <textarea
          rows={2}
          value={draft.question}
          placeholder="What is <vp> doing when it reaches the crossing?"
          onChange={(e) => setDraft({ question: e.target.value })}
          onKeyDown={(e) => {
            // Ctrl/Cmd+Enter asks; plain Enter writes a new line.
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void store.getState().askQuestion();
            }
          }}
        />
      </label>
      <p className="hint">
        Write <code>&lt;vp&gt;</code> for the object; it is sent as “{phraseFor(draft, 1)}”.{missingVp ? ' (This question has no <vp>.)' : ''}
      </p>
      {/* Settings that change less often share one row; an opened one takes the row's width. */}
      <div className="question-extras">
        <label className="checkbox">
          <input type="checkbox" checked={draft.multipleChoice} onChange={(e) => setDraft({ multipleChoice: e.target.checked })} />
          Multiple choice
        </label>
        <details className="phrase-editor">
          <summary>Phrase</summary>
          <label className="stacked">
            Phrase for &lt;vp&gt;
            <input
              type="text"
              value={draft.phrases[draft.vpType] ?? ''}
              placeholder={protocolPhrase}
              onChange={(e) => setDraft({ phrases: { ...draft.phrases, [draft.vpType]: e.target.value } })}
            />
          </label>
          <p className="hint">Empty: the protocol's phrase. For set of mark, {'{n}'} is the object's number.</p>
        </details>
        <details className="style-chooser">
          <summary>
            Styles to compare ({draft.styles.length}/{VISUAL_PROMPT_TYPES.length})
          </summary>
          <div className="style-options">
            {VISUAL_PROMPT_TYPES.map((t) => (
              <label key={t} className="checkbox">
                <input
                  type="checkbox"
                  checked={draft.styles.includes(t)}
                  onChange={(e) => setDraft({ styles: e.target.checked ? [...draft.styles, t] : draft.styles.filter((x) => x !== t) })}
                />
                {TYPE_NAMES[t]}
              </label>
            ))}
          </div>
        </details>
      </div>
      {draft.multipleChoice ? (
        <div className="options-grid">
          {OPTION_LETTERS.map((letter, i) => (
            <label key={letter}>
              <span>Option {letter}</span>
              <input
                type="text"
                value={draft.options[i]}
                onChange={(e) => {
                  const options = [...draft.options] as [string, string, string, string];
                  options[i] = e.target.value;
                  setDraft({ options });
                }}
              />
            </label>
          ))}
          <p className="hint">{filledOptions(draft).length} options; the answer is read as a letter.</p>
        </div>
      ) : null}
      <div className="ask-buttons">
        <button type="submit" className="primary-button">
          Ask
        </button>
        <button type="button" disabled={!selectedRunning} onClick={() => selected && store.getState().cancelQuery(selected.id)}>
          Cancel
        </button>
        <button type="button" disabled={draft.styles.length === 0} onClick={() => void store.getState().askEveryStyle()}>
          Ask with every style
        </button>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
