import { clock, el } from './dom.js';
import { staffName } from './staff-names.js';
import { currentLanguage, t } from './texts.js';

const joined = (items) => items.map((item) => item.label).join(t('playground.list-separator'));

/** The alert's fields: the same data the Slack alert shows, and nothing the resident wrote. */
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
  const neighbourSaw = view.origin.id === 'neighbour' && view.observations.length > 0;
  const subject = neighbourSaw ? joined(view.observations) : joined(view.fields);
  const urgency = [
    view.crisis.length > 0 && `${t('playground.alert.crisis')} (${joined(view.crisis)})`,
    view.urgent && view.crisis.length === 0 && t('playground.alert.urgent'),
    view.concern,
    view.urgency,
  ].filter(Boolean);
  const contact = [
    t(view.anonymous ? 'playground.alert.anonymous' : 'playground.alert.contactable'),
    view.contact,
  ];
  const hours = [
    t(view.afterHours ? 'playground.alert.after-hours' : 'playground.alert.arrived-open'),
    t(view.openNow ? 'playground.alert.open-now' : 'playground.alert.closed-now'),
  ];
  return [
    ['playground.alert.window', view.window.name],
    [neighbourSaw ? 'playground.alert.observations' : 'playground.alert.fields', subject],
    view.patterns.length > 0 && ['playground.alert.patterns', joined(view.patterns)],
    ['playground.alert.urgency', urgency.join('\n') || t('playground.alert.urgency-none')],
    ['playground.alert.origin', view.origin.label],
    ['playground.alert.contact', contact.filter(Boolean).join('\n')],
    ['playground.alert.language', view.language.name],
    [
      'playground.alert.waiting-since',
      view.status === 'pending'
        ? t('playground.alert.waiting', { time: clock(view.waitingSince, language), minutes: waiting })
        : clock(view.waitingSince, language),
    ],
    ['playground.alert.hours', hours.join('\n')],
    ['playground.alert.status', status],
  ].filter(Boolean);
}

/** A case's alert, drawn as a Slack message from the madoguchi app. */
export function alertBody(view) {
  const language = currentLanguage();
  const badges = [
    view.urgent &&
      el('span', {
        className: 'badge urgent',
        text: t(view.crisis.length > 0 ? 'playground.alert.crisis' : 'playground.alert.urgent'),
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
      alertFields(view, language).map(([key, value]) =>
        el('div', {}, [el('dt', { text: t(key) }), el('dd', { text: value })]),
      ),
    ),
    view.status !== 'closed' &&
      el('p', { className: 'privacy-note', text: t('playground.alert.privacy-note') }),
  ];
}
