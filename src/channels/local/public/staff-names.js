import { t } from './texts.js';

/** The people the staff pane can act as; "supervisor" may close a case someone else holds. */
export const STAFF_IDS = ['staff-a', 'staff-b', 'supervisor'];

export const staffName = (id) => (id ? t(`playground.staff.${id}`) : '');
