import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectDatasetMessage, selectProject } from '../../store/selectors';

/**
 * Problems with saving (storage full), the project, or its video: a banner in the page's flow
 * under the top bar, so a long message wraps and pushes the workspace down instead of covering
 * its controls.
 */
export function ProjectAlerts() {
  const store = useAppStoreApi();
  const project = useAppStore(selectProject);
  const datasetMessage = useAppStore(selectDatasetMessage);
  const missing = project.missingVideo
    ? `The video of this project (“${project.missingVideo.path}”) is not stored in this browser. Open that file again to see it; your annotations are kept.`
    : null;
  const problems = [project.saveError, project.error, missing, datasetMessage].filter((m): m is string => m !== null);
  if (problems.length === 0) return null;
  return (
    <div className="project-alert message error" role="alert" aria-label="Project problems">
      <div>
        {problems.map((p) => (
          <p key={p}>{p}</p>
        ))}
      </div>
      <div className="message-actions">
        {project.missingVideo ? (
          <button type="button" onClick={() => store.getState().openDialog('open')}>
            Open the video…
          </button>
        ) : null}
        {project.error || datasetMessage ? (
          <button
            type="button"
            onClick={() => {
              store.getState().dismissProjectError();
              store.getState().dismissDatasetMessage();
            }}
          >
            Dismiss
          </button>
        ) : null}
      </div>
    </div>
  );
}
