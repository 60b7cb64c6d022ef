import { useAppStore } from '../../store/context';
import { selectEndpointSettings, selectVideoInfo } from '../../store/selectors';
import { describeFrameSize, FIELDS } from './fields';
import { SettingInput } from './SettingInput';

/**
 * The frames crop_video returns (protocol §2.3). They are resized like the question's frames
 * (same factor and min pixels) under their own, smaller pixel budget.
 */
export function CropSection() {
  const settings = useAppStore(selectEndpointSettings);
  const info = useAppStore(selectVideoInfo);
  const size = describeFrameSize(info, { ...settings.sampling, maxPixels: settings.crop.maxPixels });
  return (
    <fieldset className="endpoint-section">
      <legend>
        <code>crop_video</code>
      </legend>
      <div className="endpoint-grid">
        <SettingInput spec={FIELDS.cropFps} />
        <SettingInput spec={FIELDS.cropMinFrames} />
        <SettingInput spec={FIELDS.cropMaxFrames} hint="An even number." />
        <SettingInput spec={FIELDS.cropMaxPixels} />
      </div>
      {size ? (
        <p className="hint endpoint-size" aria-live="polite">
          Cropped clips: {size}
        </p>
      ) : null}
    </fieldset>
  );
}

/** The limits of the agent loop and of each request. */
export function LoopSection() {
  return (
    <fieldset className="endpoint-section">
      <legend>Loop</legend>
      <div className="endpoint-grid">
        <SettingInput spec={FIELDS.maxToolRounds} />
        <SettingInput spec={FIELDS.maxTokens} hint="Per response." />
        <SettingInput spec={FIELDS.temperature} />
        <SettingInput spec={FIELDS.timeoutS} hint="Without a response byte." />
      </div>
    </fieldset>
  );
}
