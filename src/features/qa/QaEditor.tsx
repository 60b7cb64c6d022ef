import { useEffect, useRef } from 'react';
import { OPTION_LETTERS, VISUAL_PROMPT_TYPES, type VisualPromptType } from '../../core/agent/prompts';
import { DIMENSIONS } from '../../core/qa/dimensions';
import type { QaItem } from '../../core/qa/model';
import { checkQaItem } from '../../core/qa/validate';
import type { AppState } from '../../store/appStore';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectInstanceNames, selectOpenVideo, selectProjectVideos } from './qaSelectors';

const selectSelectedItem = (s: AppState): QaItem | null => s.qa.history.present.find((x) => x.id === s.qa.selectedId) ?? null;
const selectQueries = (s: AppState) => s.ask.queries;

/** Inline editing of the selected item; every change is one undoable step. */
export function QaEditor() {
  const store = useAppStoreApi();
  const item = useAppStore(selectSelectedItem);
  const instances = useAppStore(selectInstanceNames);
  const queries = useAppStore(selectQueries);
  const openVideoId = useAppStore(selectOpenVideo);
  const videos = useAppStore(selectProjectVideos);
  const question = useRef<HTMLTextAreaElement>(null);
  const id = item?.id ?? null;
  const fresh = item !== null && item.question === '';
  // A new item is ready to type into.
  useEffect(() => {
    if (fresh) question.current?.focus();
  }, [id, fresh]);
  if (item === null) return null;
  const update = (p: Partial<QaItem>): void => store.getState().updateQaItem(item.id, p);
  // An item's object is one of its own video's: linking one needs that video open.
  const onOwnVideo = item.projectVideoId === null || item.projectVideoId === openVideoId;
  const videoPath = videos.find((v) => v.id === item.projectVideoId)?.path ?? null;
  const problems = checkQaItem(item);
  const mc = item.options.length > 0;
  const result = item.resultQueryId ? queries.find((q) => q.id === item.resultQueryId) : undefined;
  return (
    <form className="qa-editor" aria-label="QA item" onSubmit={(e) => e.preventDefault()}>
      {onOwnVideo ? null : (
        <p className="hint">
          This item is about {videoPath ?? 'another video'}.{' '}
          <button type="button" className="small-button" onClick={() => void store.getState().openQaItem(item.id)}>
            Open its video
          </button>
        </p>
      )}
      <div className="field-row">
        <label>
          Object
          <select value={item.instanceId ?? ''} disabled={!onOwnVideo} onChange={(e) => update({ instanceId: e.target.value || null })}>
            <option value="">(none)</option>
            {onOwnVideo
              ? instances.map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.name}
                  </option>
                ))
              : null}
          </select>
        </label>
        <label>
          Frame
          <input type="number" min={0} value={item.frame ?? ''} onChange={(e) => update({ frame: e.target.value === '' ? null : Math.max(0, Math.round(Number(e.target.value))) })} />
        </label>
        <label>
          Prompt type
          <select value={item.vpType} onChange={(e) => update({ vpType: e.target.value as VisualPromptType })}>
            {VISUAL_PROMPT_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="qa-prompt-image">
        {item.promptImage !== null ? (
          <>
            <span>
              Visual prompt: the image <strong>{item.promptImage.replace(/^(frames|images)\//, '')}</strong> (sent as it is)
            </span>
            <button type="button" className="small-button" onClick={() => update({ promptImage: null })}>
              Draw it from the object instead
            </button>
          </>
        ) : (
          <label className="file-button small">
            Attach a prompt image
            <input
              type="file"
              aria-label="Attach a prompt image"
              accept="image/*"
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                e.currentTarget.value = '';
                if (file) void store.getState().attachPromptImage(item.id, file, file.name);
              }}
            />
          </label>
        )}
      </div>
      <label className="stacked">
        QA question
        <textarea ref={question} rows={2} value={item.question} placeholder="What is <vp> holding?" onChange={(e) => update({ question: e.target.value })} />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={mc} onChange={(e) => update(e.target.checked ? { options: ['', ''], answer: '' } : { options: [], answer: '' })} />
        Multiple choice (A–D)
      </label>
      {mc ? (
        <div className="options-grid">
          {OPTION_LETTERS.slice(0, Math.min(4, item.options.length + 1)).map((letter, i) => (
            <label key={letter}>
              <span>QA option {letter}</span>
              <input
                type="text"
                value={item.options[i] ?? ''}
                onChange={(e) => {
                  const options = [...item.options];
                  options[i] = e.target.value;
                  while (options.length > 2 && options[options.length - 1] === '' && options[options.length - 2] === '') options.pop();
                  update({ options });
                }}
              />
            </label>
          ))}
          <label>
            <span>Answer</span>
            <select value={item.answer} onChange={(e) => update({ answer: e.target.value })}>
              <option value="">(choose)</option>
              {OPTION_LETTERS.slice(0, item.options.length).map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </label>
        </div>
      ) : (
        <label className="stacked">
          Answer
          <input type="text" value={item.answer} onChange={(e) => update({ answer: e.target.value })} />
        </label>
      )}
      <div className="field-row">
        <label>
          Dimension
          <select value={item.dimension ?? ''} onChange={(e) => update({ dimension: e.target.value === '' ? null : Number(e.target.value) })}>
            <option value="">(none)</option>
            {DIMENSIONS.map((d) => (
              <option key={d.code} value={d.code}>
                {d.code} {d.short} — {d.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Category
          <input type="number" value={item.category ?? ''} onChange={(e) => update({ category: e.target.value === '' ? null : Math.round(Number(e.target.value)) })} />
        </label>
        <label>
          Source
          <input type="text" value={item.source} onChange={(e) => update({ source: e.target.value })} />
        </label>
      </div>
      <label className="stacked">
        Notes
        <input type="text" value={item.notes} onChange={(e) => update({ notes: e.target.value })} />
      </label>
      {problems.length > 0 ? (
        <ul className="qa-problems" aria-label="Problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <div className="ask-buttons">
        <button type="button" onClick={() => void store.getState().askQaItem(item.id)} disabled={problems.length > 0 && item.question.trim() === ''}>
          Ask this item
        </button>
        <button type="button" onClick={() => store.getState().duplicateQaItem(item.id)}>
          Duplicate
        </button>
        <button type="button" onClick={() => store.getState().deleteQaItem(item.id)}>
          Delete item
        </button>
        {result ? (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              store.getState().selectQuery(result.id);
              store.getState().showSidePanel('ask');
            }}
          >
            Model answer: {result.trajectory.answer ?? result.trajectory.status}
          </button>
        ) : null}
      </div>
    </form>
  );
}
