import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectProject } from '../../store/selectors';

/** The open project's name and whether it is saved (problems are in ProjectAlerts, under the top bar). */
export function ProjectStatus() {
  const store = useAppStoreApi();
  const project = useAppStore(selectProject);
  const label = project.status === 'saving' ? 'Saving…' : project.status === 'saved' ? 'Saved' : project.status === 'error' ? 'Not saved' : '';
  return (
    <>
      <button type="button" className="project-button" aria-label="Projects" title="Projects saved in this browser" onClick={() => store.getState().openDialog('projects')}>
        {project.current ? project.current.name : 'Projects'}
      </button>
      <span className={`save-status ${project.status}`} role="status" aria-label="Save status">
        {label}
      </span>
    </>
  );
}
