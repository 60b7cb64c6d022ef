import type { AppState } from '../../store/appStore';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { Dialog } from '../../ui/Dialog';
import { selectQaItems } from './qaSelectors';

const selectConfirm = (s: AppState) => s.transfer.confirm;
const count = new Intl.NumberFormat('en-US');

/**
 * Asked before a dataset with many items is added: a project with tens of thousands of items is
 * slow to save and to reopen, so the user picks where they go. Closing the dialog cancels.
 */
export function ImportConfirmDialog() {
  const store = useAppStoreApi();
  const confirm = useAppStore(selectConfirm);
  const existing = useAppStore(selectQaItems).length;
  const choose = store.getState().chooseImport;
  return (
    <Dialog title="Import a large dataset" open={confirm !== null} onClose={() => choose('cancel')}>
      {confirm ? (
        <>
          <p>
            <strong className="break-anywhere">{confirm.name}</strong> has <strong>{count.format(confirm.count)} QA items</strong>. This project has {count.format(existing)}. So many items make a project slow to
            save and to reopen; you can keep them in a project of their own.
          </p>
          <div className="button-row">
            <button type="button" className="primary-button" onClick={() => choose('add')}>
              Add to this project
            </button>
            <button type="button" onClick={() => choose('new-project')}>
              Import into a new project
            </button>
            <button type="button" onClick={() => choose('cancel')}>
              Cancel
            </button>
          </div>
        </>
      ) : null}
    </Dialog>
  );
}
