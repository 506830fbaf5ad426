import { clock, el } from './dom.js';
import { staffName } from './staff-names.js';
import { currentLanguage, t } from './texts.js';

/**
 * The alert's fields: the case summary's lines (built in the core, the same the Slack alert shows,
 * and nothing the resident wrote), with the waiting time and the status added here.
 */
function alertFields(view, language) {
  const status =
    view.status === 'pending'
      ? t('playground.status.pending')
      : view.status === 'assigned'
        ? t('playground.status.assigned', {
            name: staffName(view.assignee),
            time: clock(view.acceptedAt, language),
          })
        : t('playground.status.closed', { time: clock(view.closedAt, language) });
  const waiting = Math.max(0, Math.round((Date.now() - Date.parse(view.waitingSince)) / 60000));
  const received = [
    t('playground.alert.waiting-since'),
    view.status === 'pending'
      ? t('playground.alert.waiting', { time: clock(view.waitingSince, language), minutes: waiting })
      : clock(view.waitingSince, language),
  ];
  return [
    ...view.alert.map((line) => [line.label, line.value]),
    received,
    [t('playground.alert.status'), status],
  ];
}

/** A case's alert, drawn as a Slack message from the madoguchi app. */
export function alertBody(view) {
  const language = currentLanguage();
  const badges = [
    view.urgent &&
      el('span', {
        className: 'badge urgent',
        text: t(view.crisis ? 'playground.alert.crisis' : 'playground.alert.urgent'),
      }),
    view.afterHours &&
      el('span', { className: 'badge after-hours', text: t('playground.alert.after-hours') }),
    view.rerouteCount > 0 &&
      el('span', { className: 'badge', text: t('playground.alert.rerouted', { count: view.rerouteCount }) }),
    view.reopenCount > 0 && el('span', { className: 'badge', text: t('playground.alert.reopened') }),
    view.erased && el('span', { className: 'badge', text: t('playground.alert.erased') }),
  ];
  return [
    el('div', { className: 'message-meta' }, [
      el('strong', { className: 'sender', text: t('playground.staff.app-name') }),
      el('span', { className: 'app-tag', text: t('playground.staff.app-tag') }),
      el('time', { text: clock(view.waitingSince, language), attrs: { datetime: view.waitingSince } }),
    ]),
    el('div', { className: 'alert-title' }, [
      el('strong', {
        text: t(view.status === 'closed' ? 'playground.alert.title-closed' : 'playground.alert.title', {
          number: view.number,
        }),
      }),
      ...badges,
    ]),
    el(
      'dl',
      { className: 'alert-fields' },
      alertFields(view, language).map(([label, value]) =>
        el('div', {}, [el('dt', { text: label }), el('dd', { text: value })]),
      ),
    ),
    // Until someone takes the case, its personal content is withheld: say so, and only then.
    view.status === 'pending' &&
      el('p', { className: 'privacy-note', text: t('playground.alert.privacy-note') }),
  ].filter(Boolean);
}
