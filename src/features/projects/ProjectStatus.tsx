import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectProject } from '../../store/selectors';

/** The open project's name, whether it is saved, and problems with saving or its video. */
export function ProjectStatus() {
  const store = useAppStoreApi();
  const project = useAppStore(selectProject);
  const label = project.status === 'saving' ? 'Saving…' : project.status === 'saved' ? 'Saved' : project.status === 'error' ? 'Not saved' : '';
  const missing = project.missingVideo
    ? `The video of this project (“${project.missingVideo.name}”) is not stored in this browser. Open that file again to see it; your annotations are kept.`
    : null;
  const problems = [project.saveError, project.error, missing].filter((m): m is string => m !== null);
  return (
    <>
      <button type="button" className="project-button" aria-label="Projects" title="Projects saved in this browser" onClick={() => store.getState().openDialog('projects')}>
        {project.current ? project.current.name : 'Projects'}
      </button>
      <span className={`save-status ${project.status}`} role="status" aria-label="Save status">
        {label}
      </span>
      {problems.length > 0 ? (
        <div className="project-alert message error" role="alert">
          <div>
            {problems.map((p) => (
              <p key={p}>{p}</p>
            ))}
          </div>
          {project.missingVideo ? (
            <button type="button" onClick={() => store.getState().openDialog('open')}>
              Open the video…
            </button>
          ) : null}
          {project.error ? (
            <button type="button" onClick={() => store.getState().dismissProjectError()}>
              Dismiss
            </button>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
