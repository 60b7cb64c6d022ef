import { useEffect, useRef } from 'react';
import { badFramesAt, badFramesLabel, type BadFrames } from '../../core/video/damage';
import { formatTime } from '../../core/video/timecode';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectBadFrames, selectFrameIndex, selectThumbnails, selectTimestamps, selectVideoInfo } from '../../store/selectors';
import { THUMBNAIL_COUNT, type Thumbnail } from '../../store/slices/videoSlice';

function ThumbnailCanvas({ thumb }: { thumb: Thumbnail }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    c.width = thumb.image.width;
    c.height = thumb.image.height;
    c.getContext('2d')?.drawImage(thumb.image, 0, 0);
  }, [thumb]);
  return <canvas ref={ref} className="thumb" />;
}

/**
 * Where the file cannot be shown: a red band over each stretch of bad frames (the missing tail
 * of a cut file, frames that failed to decode). Styled inline: these few rules belong to it alone.
 */
function BadFrameMarks({ bad, count }: { bad: readonly BadFrames[]; count: number }) {
  if (bad.length === 0) return null;
  return (
    <div role="group" aria-label="Frames that cannot be shown" style={{ position: 'absolute', inset: 0, pointerEvents: 'none' }}>
      {bad.map((r) => (
        <div
          key={`${r.kind}${r.from}`}
          role="img"
          aria-label={badFramesLabel(r)}
          title={badFramesLabel(r)}
          style={{
            position: 'absolute',
            top: 0,
            bottom: 0,
            left: `${(r.from / count) * 100}%`,
            width: `${((r.to - r.from + 1) / count) * 100}%`,
            minWidth: 2,
            background: r.kind === 'missing' ? 'repeating-linear-gradient(135deg, #e5484d99 0 4px, #0009 4px 8px)' : '#e5484dcc',
            borderBottom: '4px solid #e5484d',
          }}
        />
      ))}
    </div>
  );
}

/** The scrubber: a native range input (keyboard and screen-reader friendly) over a thumbnail strip. */
export function Timeline() {
  const store = useAppStoreApi();
  const info = useAppStore(selectVideoInfo);
  const index = useAppStore(selectFrameIndex);
  const timestamps = useAppStore(selectTimestamps);
  const thumbnails = useAppStore(selectThumbnails);
  const count = info?.frameCount ?? 1;
  const start = timestamps[0] ?? 0;
  const slots = Math.min(THUMBNAIL_COUNT, count);
  const badFrames = useAppStore(selectBadFrames);
  const badHere = badFramesAt(badFrames, index);

  return (
    <div className="timeline">
      <div className="thumb-strip" aria-hidden="true">
        {thumbnails.map((t) => (
          <div key={t.slot} className="thumb-cell" style={{ left: `${(t.slot / slots) * 100}%`, width: `${100 / slots}%` }}>
            <ThumbnailCanvas thumb={t} />
          </div>
        ))}
      </div>
      {info ? <BadFrameMarks bad={badFrames} count={count} /> : null}
      <input
        type="range"
        className="scrubber"
        aria-label="Timeline"
        min={0}
        max={Math.max(0, count - 1)}
        step={1}
        value={info ? index : 0}
        disabled={info === null}
        aria-valuetext={info ? `Frame ${index} of ${count - 1}, ${formatTime((timestamps[index] ?? 0) - start)}${badHere ? ` (${badFramesLabel(badHere)})` : ''}` : 'No video'}
        onChange={(e) => store.getState().seek(Number(e.target.value))}
      />
    </div>
  );
}
