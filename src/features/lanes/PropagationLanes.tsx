import { useMemo } from 'react';
import type { Instance } from '../../core/annotation/model';
import { anchorsOf, laneSegments, type LaneKind } from '../../core/propagation/lane';
import type { Masklet } from '../../core/propagation/masklet';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectAnnotationFrames, selectFrameIndex, selectInstances, selectVideoInfo, selectMasklets } from '../../store/selectors';


const KIND_TEXT: Record<LaneKind, string> = { anchor: 'anchor', tracked: 'computed', low: 'low confidence', absent: 'absent', none: 'not computed' };

function Lane({ instance, masklet, frameCount, current }: { instance: Instance; masklet: Masklet; frameCount: number; current: number }) {
  const store = useAppStoreApi();
  const frames = useAppStore(selectAnnotationFrames);
  const anchors = useMemo(() => anchorsOf(frames, instance.id), [frames, instance.id]);
  const segments = useMemo(() => laneSegments(masklet, anchors, frameCount), [masklet, anchors, frameCount]);
  const counts = segments.reduce<Record<LaneKind, number>>(
    (c, s) => ({ ...c, [s.kind]: c[s.kind] + s.end - s.start + 1 }),
    { anchor: 0, tracked: 0, low: 0, absent: 0, none: 0 },
  );
  const label = `${instance.name}: ${counts.anchor} anchor, ${counts.tracked} computed, ${counts.low} low-confidence, ${counts.absent} absent frames`;
  return (
    <div className="lane-row">
      <span className="lane-name" style={{ color: instance.color }}>
        {instance.name}
      </span>
      {/* A pointer shortcut: the same jumps are on the keyboard (timeline, go-to, low-confidence buttons). */}
      <div
        className="lane"
        role="img"
        aria-label={label}
        title="Click to go to that frame"
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          const f = Math.min(frameCount - 1, Math.max(0, Math.floor(((e.clientX - r.left) / r.width) * frameCount)));
          store.getState().seek(f);
        }}
      >
        {segments
          .filter((s) => s.kind !== 'none')
          .map((s) => (
            <span
              key={s.start}
              className={`lane-seg ${s.kind}`}
              title={`${KIND_TEXT[s.kind]}: frames ${s.start}–${s.end}`}
              style={{ left: `${(s.start / frameCount) * 100}%`, width: `max(2px, ${((s.end - s.start + 1) / frameCount) * 100}%)` }}
            />
          ))}
        <span className="lane-cursor" style={{ left: `${(current / frameCount) * 100}%` }} />
      </div>
    </div>
  );
}

/** Per instance, a lane under the timeline: anchor / computed / low-confidence / absent frames. */
export function PropagationLanes() {
  const instances = useAppStore(selectInstances);
  const masklets = useAppStore(selectMasklets);
  const info = useAppStore(selectVideoInfo);
  const current = useAppStore(selectFrameIndex);
  const frames = useAppStore(selectAnnotationFrames);
  if (info === null) return null;
  const shown = instances.filter((i) => masklets[i.id] !== undefined || anchorsOf(frames, i.id).length > 0);
  if (shown.length === 0) return null;
  return (
    <div className="lanes" role="group" aria-label="Propagation lanes">
      {shown.map((i) => (
        <Lane key={i.id} instance={i} masklet={masklets[i.id] ?? EMPTY} frameCount={info.frameCount} current={current} />
      ))}
    </div>
  );
}

const EMPTY: Masklet = {};
