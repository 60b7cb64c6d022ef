/** Which dialogs are open. */
import type { StateCreator } from 'zustand';
import type { AppState } from '../appStore';

export type DialogId = 'open' | 'about' | 'shortcuts' | 'projects' | 'endpoint' | 'styles' | 'batch';

/** What the right-hand column shows. */
export type SidePanel = 'ask' | 'qa';

/** Annotating a video (prompts, masks, questions) or reviewing a model's answers. */
export type Workspace = 'annotate' | 'review';

export interface UiSlice {
  ui: { readonly dialog: DialogId | null; readonly sidePanel: SidePanel; readonly workspace: Workspace };
  openDialog(dialog: DialogId): void;
  closeDialog(): void;
  showSidePanel(panel: SidePanel): void;
  showWorkspace(workspace: Workspace): void;
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  ui: { dialog: null, sidePanel: 'ask', workspace: 'annotate' },
  openDialog: (dialog) => set((s) => ({ ui: { ...s.ui, dialog } })),
  closeDialog: () => set((s) => ({ ui: { ...s.ui, dialog: null } })),
  showSidePanel: (sidePanel) => set((s) => ({ ui: { ...s.ui, sidePanel } })),
  showWorkspace: (workspace) => set((s) => ({ ui: { ...s.ui, workspace } })),
});
