/** Which dialogs are open, what the right column shows, and which workspace (kept across reloads). */
import type { StateCreator } from 'zustand';
import type { AppState } from '../appStore';
import type { AppDeps } from '../deps';

export type DialogId = 'open' | 'about' | 'shortcuts' | 'projects' | 'endpoint' | 'styles' | 'batch';

/** What the right-hand column shows. */
export type SidePanel = 'ask' | 'qa' | 'videos';

/** Annotating a video (prompts, masks, questions) or reviewing a model's answers. */
export type Workspace = 'annotate' | 'review';

export interface UiSlice {
  ui: { readonly dialog: DialogId | null; readonly sidePanel: SidePanel; readonly workspace: Workspace };
  openDialog(dialog: DialogId): void;
  closeDialog(): void;
  showSidePanel(panel: SidePanel): void;
  showWorkspace(workspace: Workspace): void;
}

const WORKSPACE_KEY = 'videoseeker.workspace.v1';

/** A reviewer who reloads (say, while a batch runs) comes back to the review. */
export function createUiSlice(deps: Pick<AppDeps, 'preferences'>): StateCreator<AppState, [], [], UiSlice> {
  return (set) => ({
    ui: { dialog: null, sidePanel: 'ask', workspace: deps.preferences.load(WORKSPACE_KEY) === 'review' ? 'review' : 'annotate' },
    openDialog: (dialog) => set((s) => ({ ui: { ...s.ui, dialog } })),
    closeDialog: () => set((s) => ({ ui: { ...s.ui, dialog: null } })),
    showSidePanel: (sidePanel) => set((s) => ({ ui: { ...s.ui, sidePanel } })),
    showWorkspace: (workspace) => {
      set((s) => ({ ui: { ...s.ui, workspace } }));
      deps.preferences.save(WORKSPACE_KEY, workspace);
    },
  });
}
