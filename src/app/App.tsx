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
import { BatchDialog } from '../features/review/BatchDialog';
import { ReviewDetail } from '../features/review/ReviewDetail';
import { ReviewSidebar } from '../features/review/ReviewSidebar';
import { WorkspaceSwitch } from '../ui/WorkspaceSwitch';
import { SidePanelTabs } from '../ui/SidePanelTabs';
import { ModelStatus } from '../features/model/ModelStatus';
import { ProjectsDialog } from '../features/projects/ProjectsDialog';
import { ProjectAlerts } from '../features/projects/ProjectAlerts';
import { ProjectStatus } from '../features/projects/ProjectStatus';
import { DropTarget } from '../features/open/DropTarget';
import { OpenVideoDialog } from '../features/open/OpenVideoDialog';
import { ShortcutsDialog } from '../features/shortcuts/ShortcutsDialog';
import { Timeline } from '../features/timeline/Timeline';
import { TopBar } from '../features/toolbar/TopBar';
import { Transport } from '../features/transport/Transport';
import { VideoInfoPanel } from '../features/videoInfo/VideoInfoPanel';
import { VideosPanel } from '../features/videos/VideosPanel';

function useDocumentTitle(): void {
  const name = useAppStore(selectVideoName);
  useEffect(() => {
    document.title = name ? `${name} — VideoSeeker Studio` : 'VideoSeeker Studio';
  }, [name]);
}

const selectVideoName = (s: AppState) => s.video.info?.name ?? null;
const selectWorkspace = (s: AppState) => s.ui.workspace;

export function App() {
  useKeyboardShortcuts();
  useDocumentTitle();
  const workspace = useAppStore(selectWorkspace);
  // The stage keeps its place among the children in both workspaces, so switching does not
  // remount it (and its decoded frame, zoom and canvas).
  return (
    <div className="app">
      <TopBar modelStatus={<ModelStatus />} projectStatus={<ProjectStatus />} workspaceSwitch={<WorkspaceSwitch />} />
      <ProjectAlerts />
      <main className={`workspace ${workspace}`}>
        {workspace === 'review' ? <ReviewSidebar /> : null}
        <div className="stage-column">
          <VideoMessages />
          <FrameStage />
          <div className="bottom-bar">
            <Timeline />
            <PropagationLanes />
            <Transport />
          </div>
        </div>
        {workspace === 'annotate' ? (
          <>
            <div className="side-column">
              <InstancesPanel />
              <PropagationPanel />
              <VideoInfoPanel />
            </div>
            <div className="ask-column">
              <SidePanelTabs ask={<AskPanel endpointButton={<EndpointButton />} />} qa={<QaPanel />} videos={<VideosPanel />} />
            </div>
          </>
        ) : (
          <ReviewDetail />
        )}
      </main>
      <OpenVideoDialog />
      <AboutDialog />
      <ShortcutsDialog />
      <ProjectsDialog />
      <EndpointDialog />
      <StylesDialog />
      <BatchDialog />
      <DropTarget />
    </div>
  );
}
