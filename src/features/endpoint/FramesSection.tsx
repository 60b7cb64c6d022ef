import { useId } from 'react';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectEndpointSettings, selectVideoInfo } from '../../store/selectors';
import { describeFrameCount, describeFrameSize, FIELDS } from './fields';
import { SettingInput } from './SettingInput';

/** How the whole video is sampled and encoded for the first message (protocol §2.1). */
export function FramesSection() {
  const store = useAppStoreApi();
  const settings = useAppStore(selectEndpointSettings);
  const info = useAppStore(selectVideoInfo);
  const factorId = useId();
  const formatId = useId();
  const update = store.getState().updateSettings;
  const png = settings.imageFormat === 'png';
  const size = describeFrameSize(info, settings.sampling);
  const count = describeFrameCount(info, settings.sampling);

  return (
    <fieldset className="endpoint-section">
      <legend>Frames sent with the question</legend>
      <div className="endpoint-grid">
        <SettingInput spec={FIELDS.fps} />
        <SettingInput spec={FIELDS.maxFrames} hint="An even number." />
        <SettingInput spec={FIELDS.minPixels} />
        <SettingInput spec={FIELDS.maxPixels} />
        <div className="endpoint-field">
          <label htmlFor={factorId}>Resize factor</label>
          <select id={factorId} value={settings.sampling.factor} onChange={(e) => update({ sampling: { ...settings.sampling, factor: e.target.value === '32' ? 32 : 28 } })}>
            <option value={28}>28 (Qwen2.5-VL)</option>
            <option value={32}>32 (Qwen3-VL)</option>
          </select>
        </div>
        <div className="endpoint-field">
          <label htmlFor={formatId}>Image format</label>
          <select id={formatId} value={settings.imageFormat} onChange={(e) => update({ imageFormat: e.target.value === 'png' ? 'png' : 'jpeg' })}>
            <option value="jpeg">JPEG</option>
            <option value="png">PNG (as the reference)</option>
          </select>
        </div>
        <SettingInput spec={FIELDS.jpegQuality} disabled={png} hint={png ? 'Not used for PNG.' : 'More than 0, at most 1.'} />
      </div>
      {/* Live, so the consequence of a change to the pixel budget is heard as well as seen. */}
      <p className="hint endpoint-size" aria-live="polite">
        {size ?? 'Open a video to see the size its frames are sent at.'}
        {count ? ` ${count}` : null}
      </p>
    </fieldset>
  );
}
