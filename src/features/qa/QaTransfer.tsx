import type { DatasetImportProgress } from '../../core/qa/datasetImport';
import type { AppState } from '../../store/appStore';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { formatBytes } from '../../ui/format';
import { ImportConfirmDialog } from './ImportConfirmDialog';

const selectTransfer = (s: AppState) => s.transfer;

const PHASE_LABEL: Readonly<Record<DatasetImportProgress['phase'], string>> = { reading: 'Reading', parsing: 'Parsing', checking: 'Checking records' };

/** "Reading 45 % (12 MB of 27 MB)", "Parsing…", "Checking records 30 % (6000 of 20000)". */
function progressText(p: DatasetImportProgress): string {
  if (p.phase === 'parsing') return 'Parsing…';
  const pct = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 0;
  const detail = p.phase === 'reading' ? `${formatBytes(p.done)} of ${formatBytes(p.total)}` : `${p.done} of ${p.total}`;
  return `${PHASE_LABEL[p.phase]} ${pct} % (${detail})`;
}

/** Export the project as a V2P-Bench + studio ZIP; import the app's ZIP, a V2P-Bench ZIP, dataset_info.json or folder, or COCO / YouTube-VIS masks onto the open video. */
export function QaTransfer() {
  const store = useAppStoreApi();
  const transfer = useAppStore(selectTransfer);
  const busy = transfer.busy !== null;
  const progress = transfer.importProgress;
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
      <label className={`file-button small${busy ? ' disabled' : ''}`}>
        Import COCO masks
        <input
          type="file"
          // A masks/coco.json (this app's export) or any YouTube-VIS style JSON, onto the open video.
          aria-label="Import COCO / YouTube-VIS masks"
          accept=".json,application/json"
          disabled={busy}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (file) void store.getState().importCocoMasks(file);
          }}
        />
      </label>
      {progress ? (
        <div className="import-progress" role="status" aria-label="Import progress">
          {/* Parsing the JSON is one step without intermediate progress: an indeterminate bar. */}
          <progress aria-label="Import progress bar" max={progress.total} value={progress.phase === 'parsing' ? undefined : progress.done} />
          <span>{progressText(progress)}</span>
        </div>
      ) : null}
      <ImportConfirmDialog />
    </div>
  );
}
