import type { AppState } from '../store/appStore';
import { useAppStore, useAppStoreApi } from '../store/context';
import type { Workspace } from '../store/slices/uiSlice';

const selectWorkspace = (s: AppState) => s.ui.workspace;

const WORKSPACES: { id: Workspace; label: string }[] = [
  { id: 'annotate', label: 'Annotate' },
  { id: 'review', label: 'Review' },
];

/** Annotating the video, or reviewing how a model answered the QA items. */
export function WorkspaceSwitch() {
  const store = useAppStoreApi();
  const workspace = useAppStore(selectWorkspace);
  return (
    <nav className="workspace-switch" aria-label="Workspace">
      {WORKSPACES.map((w) => (
        <button key={w.id} type="button" aria-pressed={workspace === w.id} onClick={() => store.getState().showWorkspace(w.id)}>
          {w.label}
        </button>
      ))}
    </nav>
  );
}
