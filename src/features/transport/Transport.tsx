import { useState, type FormEvent } from 'react';
import { formatTime, parseTimeInput } from '../../core/video/timecode';
import { actions } from '../../store/actions';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectFrameIndex, selectPlaying, selectTimestamps, selectVideoInfo } from '../../store/selectors';
import { ActionButton } from '../../ui/ActionButton';
import { Icon } from '../../ui/icons';

export function Transport() {
  const store = useAppStoreApi();
  const info = useAppStore(selectVideoInfo);
  const index = useAppStore(selectFrameIndex);
  const timestamps = useAppStore(selectTimestamps);
  const playing = useAppStore(selectPlaying);
  const [goTo, setGoTo] = useState('');
  const [goToError, setGoToError] = useState<string | null>(null);

  const start = timestamps[0] ?? 0;
  const time = (timestamps[index] ?? 0) - start;

  const onGoTo = (e: FormEvent): void => {
    e.preventDefault();
    const target = parseTimeInput(goTo);
    if (target === null || info === null) {
      setGoToError('Type seconds (12.5), a clock time (1:02.5) or a frame number (#120).');
      return;
    }
    setGoToError(null);
    // Hand the keyboard back to the video, so ←/→ step frames from where the jump landed.
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    if (target.kind === 'frame') store.getState().seek(target.index);
    else store.getState().seekTime(target.seconds);
  };

  return (
    <div className="transport" role="group" aria-label="Playback">
      <ActionButton action={actions.backOneSecond}><Icon.back /></ActionButton>
      <ActionButton action={actions.previousFrame}><Icon.previousFrame /></ActionButton>
      <ActionButton action={actions.togglePlay} label={playing ? 'Pause' : 'Play'} className="icon-button play-button">
        {playing ? <Icon.pause /> : <Icon.play />}
      </ActionButton>
      <ActionButton action={actions.nextFrame}><Icon.nextFrame /></ActionButton>
      <ActionButton action={actions.forwardOneSecond}><Icon.forward /></ActionButton>
      <output className="timecode" aria-label="Current time" aria-live="off">
        {formatTime(time)} / {formatTime(info?.durationS ?? 0)}
      </output>
      <output className="frame-counter" aria-label="Current frame">
        Frame {info ? index : '–'} / {info ? info.frameCount - 1 : '–'}
      </output>
      <form className="goto" onSubmit={onGoTo}>
        <input
          type="text"
          aria-label="Go to time"
          placeholder="Go to 0:12.5 or #120"
          value={goTo}
          disabled={info === null}
          aria-invalid={goToError !== null}
          aria-describedby={goToError ? 'goto-error' : undefined}
          onChange={(e) => setGoTo(e.target.value)}
        />
        <button type="submit" disabled={info === null}>
          Go
        </button>
        {goToError ? (
          <span id="goto-error" className="field-error" role="status">
            {goToError}
          </span>
        ) : null}
      </form>
    </div>
  );
}
