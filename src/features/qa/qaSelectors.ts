/** Module-level selectors and the pure view logic (filter, search, sort) of the QA table. */
import { dimensionShort } from '../../core/qa/dimensions';
import type { QaItem } from '../../core/qa/model';
import type { AppState } from '../../store/appStore';
import type { QaView } from '../../store/slices/qaSlice';

export const selectQaItems = (s: AppState) => s.qa.history.present;
export const selectQaSelected = (s: AppState) => s.qa.selectedId;
export const selectQaView = (s: AppState) => s.qa.view;
export const selectQaError = (s: AppState) => s.qa.error;
export const selectQaReport = (s: AppState) => s.qa.report;
export const selectQaCanUndo = (s: AppState) => s.qa.history.past.length > 0;
export const selectQaCanRedo = (s: AppState) => s.qa.history.future.length > 0;
export const selectInstanceNames = (s: AppState) => s.annotation.history.present.instances;

export function visibleItems(items: readonly QaItem[], view: QaView, instanceName: (id: string | null) => string): QaItem[] {
  const q = view.search.trim().toLowerCase();
  const filtered = items.filter(
    (it) =>
      (view.dimension === null || it.dimension === view.dimension) &&
      (q === '' || [it.question, it.answer, it.notes, it.source, ...it.options, instanceName(it.instanceId)].some((t) => t.toLowerCase().includes(q))),
  );
  const key = (it: QaItem): string | number => {
    switch (view.sort) {
      case 'object':
        return instanceName(it.instanceId);
      case 'frame':
        return it.frame ?? -1;
      case 'question':
        return it.question.toLowerCase();
      case 'dimension':
        return it.dimension === null ? '' : dimensionShort(it.dimension);
      case 'type':
        return it.vpType;
      default:
        return it.createdAt;
    }
  };
  const sorted = [...filtered].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  return view.descending ? sorted.reverse() : sorted;
}
