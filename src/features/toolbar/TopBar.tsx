import { actions } from '../../store/actions';
import { useAppStore } from '../../store/context';
import { selectTool } from '../../store/selectors';
import { ActionButton } from '../../ui/ActionButton';

export function TopBar() {
  const tool = useAppStore(selectTool);
  return (
    <header className="topbar">
      <h1 className="brand">
        VideoSeeker <span>Studio</span>
      </h1>
      <div className="toolbar" role="toolbar" aria-label="Canvas tools">
        <ActionButton action={actions.selectTool} pressed={tool === 'select'}>
          ⬉
        </ActionButton>
        <ActionButton action={actions.handTool} pressed={tool === 'hand'}>
          ✋
        </ActionButton>
        <span className="separator" />
        <ActionButton action={actions.zoomOut}>−</ActionButton>
        <ActionButton action={actions.zoomIn}>+</ActionButton>
        <ActionButton action={actions.fitToView}>⤢</ActionButton>
      </div>
      <div className="topbar-right">
        <ActionButton action={actions.openVideo} className="primary-button" />
        <ActionButton action={actions.showShortcuts}>?</ActionButton>
        <ActionButton action={actions.about}>ⓘ</ActionButton>
      </div>
    </header>
  );
}
