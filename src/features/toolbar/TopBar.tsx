import type { ReactNode } from 'react';
import { actions } from '../../store/actions';
import { useAppStore } from '../../store/context';
import { selectTool } from '../../store/selectors';
import { ActionButton } from '../../ui/ActionButton';
import { Icon } from '../../ui/icons';

export function TopBar({ modelStatus, projectStatus, workspaceSwitch }: { modelStatus?: ReactNode; projectStatus?: ReactNode; workspaceSwitch?: ReactNode }) {
  const tool = useAppStore(selectTool);
  return (
    <header className="topbar">
      <h1 className="brand">
        VideoSeeker <span>Studio</span>
      </h1>
      {workspaceSwitch}
      <div className="project-area">{projectStatus}</div>
      <div className="toolbar" role="toolbar" aria-label="Canvas tools">
        <ActionButton action={actions.selectTool} pressed={tool === 'select'}>
          <Icon.pointer />
        </ActionButton>
        <ActionButton action={actions.handTool} pressed={tool === 'hand'}>
          <Icon.hand />
        </ActionButton>
        <ActionButton action={actions.boxTool} pressed={tool === 'box'}>
          <Icon.box />
        </ActionButton>
        <ActionButton action={actions.pointTool} pressed={tool === 'point'}>
          <Icon.positive />
        </ActionButton>
        <ActionButton action={actions.negativeTool} pressed={tool === 'negative'}>
          <Icon.negative />
        </ActionButton>
        <ActionButton action={actions.scribbleTool} pressed={tool === 'scribble'}>
          <Icon.scribble />
        </ActionButton>
        <span className="separator" />
        <ActionButton action={actions.undo}>
          <Icon.undo />
        </ActionButton>
        <ActionButton action={actions.redo}>
          <Icon.redo />
        </ActionButton>
        <span className="separator" />
        <ActionButton action={actions.zoomOut}><Icon.zoomOut /></ActionButton>
        <ActionButton action={actions.zoomIn}><Icon.zoomIn /></ActionButton>
        <ActionButton action={actions.fitToView}><Icon.fit /></ActionButton>
      </div>
      <div className="topbar-right">
        {modelStatus}
        <ActionButton action={actions.openVideo} className="primary-button" />
        <ActionButton action={actions.showShortcuts}><Icon.help /></ActionButton>
        <ActionButton action={actions.about}><Icon.info /></ActionButton>
      </div>
    </header>
  );
}
