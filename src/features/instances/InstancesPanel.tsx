import { useState } from 'react';
import { annotationKey, type Instance } from '../../core/annotation/model';
import { rleArea } from '../../core/mask/rle';
import { actions } from '../../store/actions';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectActiveInstanceId, selectAnnotationError, selectAnnotationFrames, selectAnnotationPending, selectFrameIndex, selectInstances, selectMasklets } from '../../store/selectors';
import { ActionButton } from '../../ui/ActionButton';


function InstanceRow({ instance, active }: { instance: Instance; active: boolean }) {
  const store = useAppStoreApi();
  const frames = useAppStore(selectAnnotationFrames);
  const pending = useAppStore(selectAnnotationPending);
  const frame = useAppStore(selectFrameIndex);
  const [renaming, setRenaming] = useState(false);
  const key = annotationKey(instance.id, frame);
  const entry = frames[key];
  const busy = pending.includes(key);
  const propagated = useAppStore(selectMasklets)[instance.id]?.[frame];
  const meta = busy
    ? 'segmenting…'
    : entry?.mask
      ? `${rleArea(entry.mask.rle)} px · IoU est. ${entry.mask.score.toFixed(2)}`
      : propagated
        ? propagated.rle
          ? `propagated · ${rleArea(propagated.rle)} px · confidence ${propagated.confidence.toFixed(2)}${propagated.state === 'low' ? ' (low)' : ''}`
          : 'absent here (propagated)'
        : 'no mask here';

  return (
    <li className={`instance-row${active ? ' active' : ''}${instance.visible ? '' : ' hidden-instance'}`}>
      {renaming ? (
        <form
          className="rename-form"
          onSubmit={(e) => {
            e.preventDefault();
            const name = new FormData(e.currentTarget).get('name');
            store.getState().renameInstance(instance.id, typeof name === 'string' ? name : '');
            setRenaming(false);
          }}
        >
          <input name="name" aria-label={`Name of ${instance.name}`} defaultValue={instance.name} autoFocus onBlur={(e) => e.currentTarget.form?.requestSubmit()} onKeyDown={(e) => e.key === 'Escape' && setRenaming(false)} />
        </form>
      ) : (
        <button type="button" className="instance" aria-pressed={active} onClick={() => store.getState().setActiveInstance(instance.id)} onDoubleClick={() => setRenaming(true)}>
          <span className="swatch" style={{ background: instance.color }} aria-hidden="true" />
          <span className="instance-name">{instance.name}</span>
          <span className="instance-meta" aria-label={`${instance.name} on this frame`}>
            {meta}
          </span>
        </button>
      )}
      <div className="instance-actions">
        <button type="button" className="small-button" aria-label={`Rename ${instance.name}`} title="Rename (or double-click the name)" onClick={() => setRenaming(true)}>
          ✎
        </button>
        <button
          type="button"
          className="small-button"
          aria-label={`${instance.visible ? 'Hide' : 'Show'} ${instance.name}`}
          aria-pressed={!instance.visible}
          onClick={() => store.getState().setInstanceVisible(instance.id, !instance.visible)}
        >
          {instance.visible ? '◉' : '○'}
        </button>
        <button type="button" className="small-button" aria-label={`Delete ${instance.name}`} onClick={() => store.getState().deleteInstance(instance.id)}>
          ✕
        </button>
      </div>
    </li>
  );
}

/** The objects on this video: which one prompts go to, and what its mask is on this frame. */
export function InstancesPanel() {
  const store = useAppStoreApi();
  const instances = useAppStore(selectInstances);
  const activeId = useAppStore(selectActiveInstanceId);
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
        {instances.map((instance) => (
          <InstanceRow key={instance.id} instance={instance} active={instance.id === activeId} />
        ))}
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
