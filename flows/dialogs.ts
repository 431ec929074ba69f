import { createActionDialog, type ActionDialog } from './action-dialog.js';

/**
 * One dialog machine per tool action family. They share the action dialog's definition today;
 * a family that needs more (a deploy's progress states) gets its own definition here.
 */
export const taskDialog = createActionDialog('task');
export const peopleDialog = createActionDialog('people');

const BY_FAMILY: Record<string, ActionDialog> = { task: taskDialog, people: peopleDialog };
const fallback = new Map<string, ActionDialog>();

/** The dialog machine for an action (`task.delete` → the task family's machine). */
export function dialogFor(action: string): ActionDialog {
  const family = action.split('.')[0] ?? action;
  const known = BY_FAMILY[family];
  if (known) return known;
  let machine = fallback.get(family);
  if (!machine) {
    machine = createActionDialog(family);
    fallback.set(family, machine);
  }
  return machine;
}
