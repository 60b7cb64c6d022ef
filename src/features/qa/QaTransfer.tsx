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

/**
 * A button-styled file picker; `onFiles` gets the picked files (never none). The input is cleared so
 * the same file can be picked again. `onPick`, when given, runs on click instead of the input where
 * it returns true (the browser's directory picker, which keeps a handle to the folder).
 */
function FileButton({ label, name, accept, folder = false, disabled, onFiles, onPick }: { label: string; name: string; accept?: string; folder?: boolean; disabled: boolean; onFiles: (files: File[]) => void; onPick?: () => boolean }) {
  return (
    <label
      className={`file-button small${disabled ? ' disabled' : ''}`}
      onClick={(e) => {
        if (onPick && e.target instanceof HTMLInputElement && onPick()) e.preventDefault();
      }}
    >
      {label}
      <input
        type="file"
        aria-label={name}
        accept={accept}
        {...(folder ? { webkitdirectory: '' } : {})}
        disabled={disabled}
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </label>
  );
}

/** Export the project as a V2P-Bench + studio ZIP; import the app's ZIP, a V2P-Bench ZIP, dataset_info.json or folder, or COCO / YouTube-VIS masks onto the open video. */
export function QaTransfer() {
  const store = useAppStoreApi();
  const transfer = useAppStore(selectTransfer);
  const busy = transfer.busy !== null;
  const progress = transfer.importProgress;
  return (
    <div className="qa-transfer">
      <button type="button" className="small-button" disabled={busy} onClick={() => void store.getState().exportDataset({ includeVideos: transfer.includeVideos })}>
        {transfer.busy === 'export' ? `Exporting… ${formatBytes(transfer.progress)}` : 'Export dataset (ZIP)'}
      </button>
      <label className="checkbox small">
        <input type="checkbox" checked={transfer.includeVideos} disabled={busy} onChange={(e) => store.getState().setExportVideos(e.currentTarget.checked)} />
        with the videos
      </label>
      <FileButton label={transfer.busy === 'import' ? 'Importing…' : 'Import ZIP or JSON'} name="Import dataset file" accept=".zip,.json,application/zip,application/json" disabled={busy} onFiles={([file]) => void store.getState().importDataset(file!)} />
      {/* A V2P-Bench folder: dataset_info.json with its videos/ and frames/. */}
      <FileButton
        label="Import folder"
        name="Import dataset folder"
        folder
        disabled={busy}
        onFiles={(files) => void store.getState().importDataset(files)}
        onPick={() => {
          if (!transfer.folderPicker) return false;
          void store.getState().pickAndImportFolder();
          return true;
        }}
      />
      {/* A masks/coco.json (this app's export) or any YouTube-VIS style JSON, onto the open video. */}
      <FileButton label="Import COCO masks" name="Import COCO / YouTube-VIS masks" accept=".json,application/json" disabled={busy} onFiles={([file]) => void store.getState().importCocoMasks(file!)} />
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
