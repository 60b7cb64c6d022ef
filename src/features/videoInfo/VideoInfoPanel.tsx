import type { ReactNode } from 'react';
import { formatTime } from '../../core/video/timecode';
import { codecDisplayName } from '../../core/video/openErrors';
import { useAppStore } from '../../store/context';
import { selectFrameIndex, selectTimestamps, selectVideoInfo } from '../../store/selectors';
import { formatBytes, formatFps } from '../../ui/format';

export function VideoInfoPanel() {
  const info = useAppStore(selectVideoInfo);
  const index = useAppStore(selectFrameIndex);
  const timestamps = useAppStore(selectTimestamps);
  if (info === null) return <aside className="side-panel" aria-label="Video details"><p>No video open.</p></aside>;
  const rows: [string, ReactNode][] = [
    ['File', info.name],
    ['Resolution', `${info.width} × ${info.height}`],
    ['Duration', formatTime(info.durationS)],
    ...(info.dataEnd
      ? ([['Playable', `${formatTime(info.dataEnd.playableS)}, frames 0–${info.dataEnd.firstMissingFrame - 1} (the file is cut short)`]] as [string, string][])
      : []),
    ['Frame rate', `${formatFps(info.fps)} fps`],
    ['Frames', `${info.frameCount} (numbered 0–${info.frameCount - 1})`],
    ['Current frame', String(index)],
    ['Current time', formatTime((timestamps[index] ?? 0) - (timestamps[0] ?? 0))],
    ['Container', info.container],
    ['Codec', codecDisplayName(info.codec) === info.codec ? info.codec : `${codecDisplayName(info.codec)} · ${info.codec}`],
    ['Size', formatBytes(info.byteLength)],
    [
      'Decoder',
      // Named, so that a user (and the navigation tests) can tell a silent fall-back to seeking.
      <output aria-label="Decoder" aria-live="off">
        {info.decoder === 'webcodecs' ? 'WebCodecs (frame-exact, in a worker)' : 'Media element (seeking)'}
      </output>,
    ],
  ];
  return (
    <aside className="side-panel" aria-label="Video details">
      <h2>Video</h2>
      <dl className="details">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
