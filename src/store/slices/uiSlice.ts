/** Which dialogs are open. */
import type { StateCreator } from 'zustand';
import type { AppState } from '../appStore';

export type DialogId = 'open' | 'about' | 'shortcuts' | 'projects' | 'endpoint' | 'styles';

/** What the right-hand column shows. */
export type SidePanel = 'ask' | 'qa';

export interface UiSlice {
  ui: { readonly dialog: DialogId | null; readonly sidePanel: SidePanel };
  openDialog(dialog: DialogId): void;
  closeDialog(): void;
  showSidePanel(panel: SidePanel): void;
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  ui: { dialog: null, sidePanel: 'ask' },
  openDialog: (dialog) => set((s) => ({ ui: { ...s.ui, dialog } })),
  closeDialog: () => set((s) => ({ ui: { ...s.ui, dialog: null } })),
  showSidePanel: (sidePanel) => set((s) => ({ ui: { ...s.ui, sidePanel } })),
});
