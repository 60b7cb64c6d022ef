import type { SamplingStep } from '../../core/propagation/plan';
import { describePending } from '../../core/propagation/pendingRun';
import type { AppState } from '../../store/appStore';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectVideoInfo } from '../../store/selectors';
import { EncoderSelect } from '../../ui/EncoderSelect';

const selectPropagation = (s: AppState) => s.propagation;
const selectHasActive = (s: AppState) => s.annotation.history.present.activeId !== null;

type StepChoice = 'every' | 'nth' | 'fps';

function stepChoice(step: SamplingStep): StepChoice {
  return step.kind;
}

function formatEta(s: number | null): string {
  if (s === null) return 'estimating time left…';
  if (s < 60) return `about ${Math.max(1, Math.round(s))} s left`;
  return `about ${Math.round(s / 60)} min left`;
}

/** Propagate the object's mask through the video: direction, scope, range, step; progress and cancel. */
export function PropagationPanel() {
  const store = useAppStoreApi();
  const p = useAppStore(selectPropagation);
  const info = useAppStore(selectVideoInfo);
  const hasActive = useAppStore(selectHasActive);
  const { settings, job } = p;
  const set = store.getState().setPropagationSettings;
  const last = Math.max(0, (info?.frameCount ?? 1) - 1);
  const k = settings.step.kind === 'nth' ? settings.step.k : 5;
  return (
    <section className="propagation" aria-label="Propagation">
      <div className="section-header">
        <h2>Propagate</h2>
      </div>
      <div className="field-grid">
        <label>
          Direction
          <select value={settings.direction} onChange={(e) => set({ direction: e.target.value as typeof settings.direction })} disabled={job !== null}>
            <option value="both">Both ways</option>
            <option value="forward">Forward</option>
            <option value="backward">Backward</option>
          </select>
        </label>
        <label>
          Objects
          <select value={settings.scope} onChange={(e) => set({ scope: e.target.value as 'active' | 'all' })} disabled={job !== null}>
            <option value="active">Active object</option>
            <option value="all">All objects</option>
          </select>
        </label>
        <label>
          Frames
          <select
            value={stepChoice(settings.step)}
            disabled={job !== null}
            onChange={(e) => {
              const v = e.target.value as StepChoice;
              set({ step: v === 'every' ? { kind: 'every' } : v === 'nth' ? { kind: 'nth', k } : { kind: 'fps', fps: 1 } });
            }}
          >
            <option value="every">Every frame</option>
            <option value="nth">Every k-th frame</option>
            <option value="fps">1 per second</option>
          </select>
        </label>
        <EncoderSelect />
        {settings.step.kind === 'nth' ? (
          <label>
            k
            <input type="number" min={2} max={1000} value={k} disabled={job !== null} onChange={(e) => Number(e.target.value) >= 2 && set({ step: { kind: 'nth', k: Math.round(Number(e.target.value)) } })} />
          </label>
        ) : null}
      </div>
      <div className="field-grid">
        <label className="checkbox">
          <input type="checkbox" checked={settings.range === null} disabled={job !== null} onChange={(e) => set({ range: e.target.checked ? null : [0, last] })} />
          Whole video
        </label>
        {settings.range !== null ? (
          <>
            <label>
              From frame
              <input type="number" min={0} max={last} value={settings.range[0]} disabled={job !== null} onChange={(e) => set({ range: [Math.min(Math.max(0, Number(e.target.value)), settings.range![1]), settings.range![1]] })} />
            </label>
            <label>
              To frame
              <input type="number" min={0} max={last} value={settings.range[1]} disabled={job !== null} onChange={(e) => set({ range: [settings.range![0], Math.max(Math.min(last, Number(e.target.value)), settings.range![0])] })} />
            </label>
          </>
        ) : null}
      </div>
      <div className="ask-buttons">
        {job === null ? (
          <button type="button" className="primary-button" disabled={info === null || (!hasActive && settings.scope === 'active')} onClick={() => void store.getState().propagate()}>
            Propagate
          </button>
        ) : (
          <button type="button" onClick={() => store.getState().cancelPropagation()} disabled={job.cancelling}>
            {job.cancelling ? 'Stopping…' : 'Cancel propagation'}
          </button>
        )}
        <button type="button" className="small-button" onClick={() => store.getState().goToLowConfidence(-1)} aria-label="Previous low-confidence frame" title="Previous low-confidence frame">
          ◂ low
        </button>
        <button type="button" className="small-button" onClick={() => store.getState().goToLowConfidence(1)} aria-label="Next low-confidence frame" title="Next low-confidence frame">
          low ▸
        </button>
        <button type="button" className="small-button" disabled={job !== null} onClick={() => store.getState().clearPropagated()}>
          Clear propagated masks
        </button>
      </div>
      {job === null && p.pending !== null ? (
        <div className="interrupted-run" role="alert" aria-label="Interrupted propagation">
          <p>{describePending(p.pending)}</p>
          <div className="ask-buttons">
            <button type="button" className="primary-button" onClick={() => void store.getState().continuePropagation()}>
              Continue propagation
            </button>
            <button type="button" className="small-button" onClick={() => store.getState().dismissInterruptedPropagation()}>
              Dismiss
            </button>
          </div>
        </div>
      ) : null}
      {job !== null ? (
        <div className="propagation-progress">
          <progress aria-label="Propagation progress" max={Math.max(1, job.total)} value={job.done} />
          <span className="hint" role="status">
            {job.done} / {job.total} frames · {formatEta(job.etaS)}
            {job.current ? ` · frame ${job.current.frame}${job.current.instanceIds.length > 1 ? ` for ${job.current.instanceIds.length} objects` : ''}` : ''}
          </span>
        </div>
      ) : p.summary ? (
        <p className="hint" role="status">
          {p.summary}
        </p>
      ) : null}
      {p.error ? (
        <p className="field-error" role="alert">
          {p.error}
        </p>
      ) : null}
    </section>
  );
}
