import type { AppState } from '../../store/appStore';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { formatBytes } from '../../ui/format';

const selectTransfer = (s: AppState) => s.transfer;

/** Export the project as a V2P-Bench + studio ZIP; import the app's ZIP, a V2P-Bench ZIP, dataset_info.json or folder. */
export function QaTransfer() {
  const store = useAppStoreApi();
  const transfer = useAppStore(selectTransfer);
  const busy = transfer.busy !== null;
  return (
    <div className="qa-transfer">
      <button type="button" className="small-button" disabled={busy} onClick={() => void store.getState().exportDataset()}>
        {transfer.busy === 'export' ? `Exporting… ${formatBytes(transfer.progress)}` : 'Export dataset (ZIP)'}
      </button>
      <label className={`file-button small${busy ? ' disabled' : ''}`}>
        {transfer.busy === 'import' ? 'Importing…' : 'Import ZIP or JSON'}
        <input
          type="file"
          aria-label="Import dataset file"
          accept=".zip,.json,application/zip,application/json"
          disabled={busy}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (file) void store.getState().importDataset(file);
          }}
        />
      </label>
      <label className={`file-button small${busy ? ' disabled' : ''}`}>
        Import folder
        <input
          type="file"
          aria-label="Import dataset folder"
          // A V2P-Bench folder: dataset_info.json with its videos/ and frames/.
          {...{ webkitdirectory: '' }}
          disabled={busy}
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = '';
            if (files.length > 0) void store.getState().importDataset(files);
          }}
        />
      </label>
    </div>
  );
}
