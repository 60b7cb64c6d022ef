import { useState } from 'react';
import { formatTime } from '../../core/video/timecode';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectDialog, selectProject } from '../../store/selectors';
import { Dialog } from '../../ui/Dialog';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The projects kept in this browser: open, rename, delete, or start a new (empty) one. */
export function ProjectsDialog() {
  const store = useAppStoreApi();
  const open = useAppStore(selectDialog) === 'projects';
  const project = useAppStore(selectProject);
  const [renaming, setRenaming] = useState<string | null>(null);
  const close = (): void => store.getState().closeDialog();
  return (
    <Dialog title="Projects" open={open} onClose={close}>
      <p className="hint">Projects are saved in this browser as you work. A project is a dataset: the videos you open join the open project (see the Videos tab).</p>
      <button
        type="button"
        className="primary-button"
        onClick={() => {
          close();
          void store.getState().newProject(`Project ${project.list.length + 1}`);
        }}
      >
        New project
      </button>
      <ul className="project-list" aria-label="Saved projects">
        {project.list.map((p) => (
          <li key={p.id} className={p.id === project.current?.id ? 'current' : undefined}>
            {renaming === p.id ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  const name = new FormData(e.currentTarget).get('name');
                  void store.getState().renameProject(p.id, typeof name === 'string' ? name : '');
                  setRenaming(null);
                }}
              >
                <input name="name" aria-label={`New name for ${p.name}`} defaultValue={p.name} autoFocus />
                <button type="submit">Save name</button>
              </form>
            ) : (
              <div className="project-row">
                <div>
                  <strong>{p.name}</strong>
                  {p.id === project.current?.id ? <span className="badge">open</span> : null}
                  <div className="hint">
                    {p.videoCount !== undefined && p.videoCount > 1 ? `${p.videoCount} videos` : (p.videoName ?? 'no video')} · saved {dateFormat.format(p.updatedAt)}
                  </div>
                </div>
                <div className="project-actions">
                  <button
                    type="button"
                    aria-label={`Open ${p.name}`}
                    disabled={p.id === project.current?.id}
                    onClick={() => {
                      close();
                      void store.getState().openProject(p.id);
                    }}
                  >
                    Open
                  </button>
                  <button type="button" aria-label={`Rename ${p.name}`} onClick={() => setRenaming(p.id)}>
                    Rename
                  </button>
                  <button
                    type="button"
                    aria-label={`Delete ${p.name}`}
                    onClick={() => {
                      if (window.confirm(`Delete the project “${p.name}” with its annotations and the copies of its videos kept in this browser? Your own files are not touched. This cannot be undone.`)) void store.getState().deleteProject(p.id);
                    }}
                  >
                    Delete
                  </button>
                </div>
              </div>
            )}
          </li>
        ))}
      </ul>
      {project.list.length === 0 ? <p className="hint">No saved projects yet.</p> : null}
      {project.missingVideo ? <p className="hint">The open project's video ({project.missingVideo.path}{project.missingVideo.facts ? `, ${formatTime(project.missingVideo.facts.durationS)}` : ''}) is not available in this browser.</p> : null}
    </Dialog>
  );
}
