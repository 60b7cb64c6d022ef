import { annotationKey } from '../../core/annotation/model';
import { rleArea } from '../../core/mask/rle';
import { actions } from '../../store/actions';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectActiveInstanceId, selectAnnotationError, selectAnnotationFrames, selectAnnotationPending, selectFrameIndex, selectInstances } from '../../store/selectors';
import { ActionButton } from '../../ui/ActionButton';

/** The objects on this video: which one prompts go to, and what its mask is on this frame. */
export function InstancesPanel() {
  const store = useAppStoreApi();
  const instances = useAppStore(selectInstances);
  const activeId = useAppStore(selectActiveInstanceId);
  const frames = useAppStore(selectAnnotationFrames);
  const pending = useAppStore(selectAnnotationPending);
  const frame = useAppStore(selectFrameIndex);
  const error = useAppStore(selectAnnotationError);
  return (
    <section className="instances" aria-label="Objects">
      <div className="section-header">
        <h2>Objects</h2>
        <ActionButton action={actions.newInstance} className="small-button">
          + New object
        </ActionButton>
      </div>
      {instances.length === 0 ? <p className="hint">Pick the box tool (B) or the point tool (P) and mark an object on the frame.</p> : null}
      <ul className="instance-list">
        {instances.map((instance) => {
          const key = annotationKey(instance.id, frame);
          const entry = frames[key];
          const busy = pending.includes(key);
          return (
            <li key={instance.id}>
              <button
                type="button"
                className="instance"
                aria-pressed={instance.id === activeId}
                onClick={() => store.getState().setActiveInstance(instance.id)}
              >
                <span className="swatch" style={{ background: instance.color }} aria-hidden="true" />
                <span className="instance-name">{instance.name}</span>
                <span className="instance-meta" aria-label={`${instance.name} on this frame`}>
                  {busy ? 'segmenting…' : entry?.mask ? `${rleArea(entry.mask.rle)} px · IoU est. ${entry.mask.score.toFixed(2)}` : entry ? '' : 'no mask here'}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {error ? (
        <div className="message error" role="alert">
          <p>{error}</p>
          <button type="button" onClick={() => store.getState().dismissAnnotationError()}>
            Dismiss
          </button>
        </div>
      ) : null}
    </section>
  );
}
