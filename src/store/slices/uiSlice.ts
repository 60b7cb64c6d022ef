/** Which dialogs are open. */
import type { StateCreator } from 'zustand';
import type { AppState } from '../appStore';

export type DialogId = 'open' | 'about' | 'shortcuts' | 'projects' | 'endpoint' | 'styles';

export interface UiSlice {
  ui: { readonly dialog: DialogId | null };
  openDialog(dialog: DialogId): void;
  closeDialog(): void;
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  ui: { dialog: null },
  openDialog: (dialog) => set({ ui: { dialog } }),
  closeDialog: () => set({ ui: { dialog: null } }),
});
