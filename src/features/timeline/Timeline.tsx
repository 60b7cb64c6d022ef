import { useEffect, useRef } from 'react';
import { formatTime } from '../../core/video/timecode';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectFrameIndex, selectThumbnails, selectTimestamps, selectVideoInfo } from '../../store/selectors';
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

  return (
    <div className="timeline">
      <div className="thumb-strip" aria-hidden="true">
        {thumbnails.map((t) => (
          <div key={t.slot} className="thumb-cell" style={{ left: `${(t.slot / slots) * 100}%`, width: `${100 / slots}%` }}>
            <ThumbnailCanvas thumb={t} />
          </div>
        ))}
      </div>
      <input
        type="range"
        className="scrubber"
        aria-label="Timeline"
        min={0}
        max={Math.max(0, count - 1)}
        step={1}
        value={info ? index : 0}
        disabled={info === null}
        aria-valuetext={info ? `Frame ${index} of ${count - 1}, ${formatTime((timestamps[index] ?? 0) - start)}` : 'No video'}
        onChange={(e) => store.getState().seek(Number(e.target.value))}
      />
    </div>
  );
}
