import { useState } from 'react';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectDialog } from '../../store/selectors';
import { Dialog } from '../../ui/Dialog';
import { ConnectionSection } from './ConnectionSection';
import { FramesSection } from './FramesSection';
import { CropSection, LoopSection } from './LimitsSections';
import { ProtocolSection } from './ProtocolSection';

/**
 * The endpoint settings of "Ask VideoSeeker". Every change is stored as soon as it is committed
 * (a field on blur or Enter, a choice at once), so there is no Save: "Done" only closes.
 */
export function EndpointDialog() {
  const store = useAppStoreApi();
  const open = useAppStore(selectDialog) === 'endpoint';
  // Bumped on reset to remount the fields, dropping what was typed and not committed (an
  // invalid value would otherwise stay on screen over the restored default).
  const [generation, setGeneration] = useState(0);
  const close = (): void => store.getState().closeDialog();
  return (
    <Dialog title="Endpoint settings" open={open} onClose={close} className="endpoint-dialog">
      <div className="endpoint-form" key={generation}>
        <ConnectionSection />
        <ProtocolSection />
        <FramesSection />
        <CropSection />
        <LoopSection />
      </div>
      <footer className="endpoint-footer">
        <button
          type="button"
          onClick={() => {
            store.getState().resetSettings();
            setGeneration((g) => g + 1);
          }}
        >
          Reset to protocol defaults
        </button>
        <button type="button" className="primary-button" onClick={close}>
          Done
        </button>
      </footer>
    </Dialog>
  );
}
