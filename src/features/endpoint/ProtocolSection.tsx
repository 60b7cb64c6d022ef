import { useId } from 'react';
import type { Mode } from '../../core/agent/prompts';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectEndpointSettings } from '../../store/selectors';

const MODES: readonly { value: Mode; label: string }[] = [
  { value: 'tool', label: 'tool — think, call tools, answer' },
  { value: 'reasoning', label: 'reasoning — think, answer, no tools' },
  { value: 'direct', label: 'direct — answer only' },
];

const isMode = (v: string): v is Mode => MODES.some((m) => m.value === v);

/** The protocol mode and its switches. Choices cannot be invalid, so they commit at once. */
export function ProtocolSection() {
  const store = useAppStoreApi();
  const settings = useAppStore(selectEndpointSettings);
  const modeId = useId();
  const toolsHintId = useId();
  const update = store.getState().updateSettings;
  const toolMode = settings.mode === 'tool';

  return (
    <fieldset className="endpoint-section">
      <legend>Protocol</legend>
      <div className="endpoint-field">
        <label htmlFor={modeId}>Mode</label>
        <select
          id={modeId}
          value={settings.mode}
          onChange={(e) => {
            if (isMode(e.target.value)) update({ mode: e.target.value });
          }}
        >
          {MODES.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </div>
      <div className="endpoint-checks">
        {/* The tool names are the protocol's own, so they are shown as the model sees them. */}
        <label>
          <input
            type="checkbox"
            checked={settings.tools.viewVisualPrompt}
            disabled={!toolMode}
            aria-describedby={toolMode ? undefined : toolsHintId}
            onChange={(e) => update({ tools: { ...settings.tools, viewVisualPrompt: e.target.checked } })}
          />
          <code>view_visual_prompt</code>
        </label>
        <label>
          <input
            type="checkbox"
            checked={settings.tools.cropVideo}
            disabled={!toolMode}
            aria-describedby={toolMode ? undefined : toolsHintId}
            onChange={(e) => update({ tools: { ...settings.tools, cropVideo: e.target.checked } })}
          />
          <code>crop_video</code>
        </label>
        <label>
          <input type="checkbox" checked={settings.stream} onChange={(e) => update({ stream: e.target.checked })} />
          Stream responses
        </label>
      </div>
      {toolMode ? null : (
        <p id={toolsHintId} className="hint">
          Tools are offered to the model only in tool mode.
        </p>
      )}
    </fieldset>
  );
}
