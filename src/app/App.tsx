import { useEffect } from 'react';
import { FrameStage } from '../canvas/FrameStage';
import type { AppState } from '../store/appStore';
import { useAppStore } from '../store/context';
import { AboutDialog } from '../features/about/AboutDialog';
import { AskPanel } from '../features/ask/AskPanel';
import { StylesDialog } from '../features/ask/StylesDialog';
import { EndpointButton } from '../features/endpoint/EndpointButton';
import { EndpointDialog } from '../features/endpoint/EndpointDialog';
import { useKeyboardShortcuts } from '../features/keyboard/useKeyboardShortcuts';
import { VideoMessages } from '../features/messages/VideoMessages';
import { InstancesPanel } from '../features/instances/InstancesPanel';
import { PropagationLanes } from '../features/lanes/PropagationLanes';
import { PropagationPanel } from '../features/propagation/PropagationPanel';
import { QaPanel } from '../features/qa/QaPanel';
import { SidePanelTabs } from '../ui/SidePanelTabs';
import { ModelStatus } from '../features/model/ModelStatus';
import { ProjectsDialog } from '../features/projects/ProjectsDialog';
import { ProjectStatus } from '../features/projects/ProjectStatus';
import { DropTarget } from '../features/open/DropTarget';
import { OpenVideoDialog } from '../features/open/OpenVideoDialog';
import { ShortcutsDialog } from '../features/shortcuts/ShortcutsDialog';
import { Timeline } from '../features/timeline/Timeline';
import { TopBar } from '../features/toolbar/TopBar';
import { Transport } from '../features/transport/Transport';
import { VideoInfoPanel } from '../features/videoInfo/VideoInfoPanel';

function useDocumentTitle(): void {
  const name = useAppStore(selectVideoName);
  useEffect(() => {
    document.title = name ? `${name} — VideoSeeker Studio` : 'VideoSeeker Studio';
  }, [name]);
}

const selectVideoName = (s: AppState) => s.video.info?.name ?? null;

export function App() {
  useKeyboardShortcuts();
  useDocumentTitle();
  return (
    <div className="app">
      <TopBar modelStatus={<ModelStatus />} projectStatus={<ProjectStatus />} />
      <main className="workspace">
        <div className="stage-column">
          <VideoMessages />
          <FrameStage />
          <div className="bottom-bar">
            <Timeline />
            <PropagationLanes />
            <Transport />
          </div>
        </div>
        <div className="side-column">
          <InstancesPanel />
          <PropagationPanel />
          <VideoInfoPanel />
        </div>
        <div className="ask-column">
          <SidePanelTabs ask={<AskPanel endpointButton={<EndpointButton />} />} qa={<QaPanel />} />
        </div>
      </main>
      <OpenVideoDialog />
      <AboutDialog />
      <ShortcutsDialog />
      <ProjectsDialog />
      <EndpointDialog />
      <StylesDialog />
      <DropTarget />
    </div>
  );
}
