import { VISUAL_PROMPT_TYPES, type VisualPromptType } from '../../core/agent/prompts';
import { defaultPromptFrame } from '../../core/agent/query';
import { VISUAL_PROMPT_COLOURS } from '../../core/visualPrompt/geometry';
import type { AppState } from '../../store/appStore';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectActiveInstanceId, selectFrameIndex, selectInstances } from '../../store/selectors';
import { formatBytes } from '../../ui/format';
import { TYPE_NAMES } from '../../ui/visualPromptNames';
import { selectDraft, selectPreview, selectPreviewBlocker } from './askSelectors';

export { TYPE_NAMES } from '../../ui/visualPromptNames';

/** The frame the prompt will be drawn on, as the draft resolves it now. */
const selectPromptFrame = (s: AppState): number | null => {
  const id = s.ask.draft.instanceId ?? s.annotation.history.present.activeId;
  if (id === null) return null;
  return s.ask.draft.frame ?? defaultPromptFrame(s.annotation.history.present, id, s.video.frameIndex);
};

/** Which instance, on which frame, pointed out how: and the exact image the model will get. */
export function PromptPicker() {
  const store = useAppStoreApi();
  const draft = useAppStore(selectDraft);
  const preview = useAppStore(selectPreview);
  const blocker = useAppStore(selectPreviewBlocker);
  const instances = useAppStore(selectInstances);
  const activeId = useAppStore(selectActiveInstanceId);
  const frameIndex = useAppStore(selectFrameIndex);
  const promptFrame = useAppStore(selectPromptFrame);
  const setDraft = store.getState().setDraft;
  return (
    <fieldset className="prompt-picker">
      <legend>Visual prompt</legend>
      <div className="field-row">
        <label>
          Object
          <select value={draft.instanceId ?? ''} onChange={(e) => setDraft({ instanceId: e.target.value === '' ? null : e.target.value })}>
            <option value="">Active object{activeId ? ` (${instances.find((i) => i.id === activeId)?.name ?? ''})` : ''}</option>
            {instances.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Prompt type
          <select value={draft.vpType} onChange={(e) => setDraft({ vpType: e.target.value as VisualPromptType })}>
            {VISUAL_PROMPT_TYPES.map((t) => (
              <option key={t} value={t}>
                {TYPE_NAMES[t]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="colour-row" role="radiogroup" aria-label="Prompt colour">
        {VISUAL_PROMPT_COLOURS.map((c) => (
          <button
            key={c.value}
            type="button"
            role="radio"
            aria-checked={draft.colour === c.value}
            aria-label={c.name}
            className="colour-swatch"
            style={{ background: c.value }}
            onClick={() => setDraft({ colour: c.value })}
          />
        ))}
      </div>
      <div className="field-row">
        <label className="checkbox">
          <input type="checkbox" checked={draft.frame === null} onChange={(e) => setDraft({ frame: e.target.checked ? null : (promptFrame ?? frameIndex) })} />
          Frame: current, or nearest with a mask
        </label>
        <label>
          Prompt frame
          <input
            type="number"
            min={0}
            value={promptFrame === null ? '' : promptFrame}
            disabled={draft.frame === null}
            onChange={(e) => {
              const n = Number(e.target.value);
              if (Number.isInteger(n) && n >= 0) setDraft({ frame: n });
            }}
          />
        </label>
        <button type="button" className="small-button" onClick={() => setDraft({ frame: frameIndex })} title="Draw the prompt on the frame on screen">
          Use this frame
        </button>
      </div>
      <figure className="vp-preview">
        {/* What blocks the preview is known now; the rendered image follows a moment later. */}
        {preview.image && blocker === null ? (
          <img src={preview.image.url} alt="Visual prompt frame preview" className={preview.status === 'rendering' ? 'stale' : undefined} />
        ) : (
          <div className="vp-preview-empty">{blocker ?? (preview.status === 'error' ? 'No preview' : 'Drawing…')}</div>
        )}
        <figcaption className="hint">
          {preview.image && blocker === null ? `What view_visual_prompt returns: ${preview.image.width}×${preview.image.height}, ${formatBytes(preview.image.bytes)}` : null}
          {preview.status === 'error' && blocker === null ? <span className="field-error"> {preview.message}</span> : null}
          {promptFrame !== null && promptFrame !== frameIndex ? (
            <button type="button" className="link-button" onClick={() => store.getState().seek(promptFrame)}>
              Show frame {promptFrame}
            </button>
          ) : null}
        </figcaption>
      </figure>
    </fieldset>
  );
}
