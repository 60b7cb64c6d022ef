import type { ReactNode } from 'react';
import type { AppState } from '../store/appStore';
import { useAppStore, useAppStoreApi } from '../store/context';

const selectSidePanel = (s: AppState) => s.ui.sidePanel;

/** The right-hand column: asking the model, the QA dataset, or the project's videos. */
export function SidePanelTabs({ ask, qa, videos }: { ask: ReactNode; qa: ReactNode; videos: ReactNode }) {
  const store = useAppStoreApi();
  const panel = useAppStore(selectSidePanel);
  return (
    <div className="side-tabs">
      <div role="tablist" aria-label="Right panel" className="tablist">
        <button type="button" role="tab" id="tab-ask" aria-selected={panel === 'ask'} aria-controls="panel-ask" onClick={() => store.getState().showSidePanel('ask')}>
          Ask
        </button>
        <button type="button" role="tab" id="tab-qa" aria-selected={panel === 'qa'} aria-controls="panel-qa" onClick={() => store.getState().showSidePanel('qa')}>
          QA dataset
        </button>
        <button type="button" role="tab" id="tab-videos" aria-selected={panel === 'videos'} aria-controls="panel-videos" onClick={() => store.getState().showSidePanel('videos')}>
          Videos
        </button>
      </div>
      <div role="tabpanel" id={`panel-${panel}`} aria-labelledby={`tab-${panel}`} className="tabpanel">
        {panel === 'ask' ? ask : panel === 'qa' ? qa : videos}
      </div>
    </div>
  );
}
