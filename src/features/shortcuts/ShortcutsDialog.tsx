import { actionList, type Action } from '../../store/actions';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectDialog } from '../../store/selectors';
import { Dialog } from '../../ui/Dialog';
import { shortcutText } from '../../ui/ActionButton';

const GROUPS: Action['group'][] = ['Video', 'View', 'Tools', 'Review', 'App'];

export function ShortcutsDialog() {
  const store = useAppStoreApi();
  const open = useAppStore(selectDialog) === 'shortcuts';
  return (
    <Dialog title="Keyboard shortcuts" open={open} onClose={() => store.getState().closeDialog()}>
      {GROUPS.map((group) => (
        <section key={group}>
          <h3>{group}</h3>
          <table className="shortcuts">
            <tbody>
              {actionList
                .filter((a) => a.group === group && a.shortcuts.length > 0)
                .map((a) => (
                  <tr key={a.id}>
                    <td>{a.label}</td>
                    <td>
                      <kbd>{shortcutText(a)}</kbd>
                    </td>
                  </tr>
                ))}
              {group === 'View' ? (
                <>
                  <tr>
                    <td>Zoom at the pointer</td>
                    <td>
                      <kbd>Mouse wheel</kbd>
                    </td>
                  </tr>
                  <tr>
                    <td>Pan</td>
                    <td>
                      <kbd>Space+drag, middle-drag, or drag with the hand tool</kbd>
                    </td>
                  </tr>
                </>
              ) : null}
            </tbody>
          </table>
        </section>
      ))}
    </Dialog>
  );
}
