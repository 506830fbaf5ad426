import { getJson, postJson } from './api.js';
import { el } from './dom.js';
import { currentLanguage, t } from './texts.js';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0];
const WEEKDAY_NAMES = { ja: ['日', '月', '火', '水', '木', '金', '土'] };
let options;

function weekdayName(day) {
  const names = WEEKDAY_NAMES[currentLanguage()];
  if (names) return names[day];
  // 2023-01-01 was a Sunday: its week names the days in the page's language.
  return new Date(Date.UTC(2023, 0, 1 + day)).toLocaleDateString(currentLanguage(), {
    weekday: 'short',
    timeZone: 'UTC',
  });
}

function dayBoxes(name) {
  return el(
    'div',
    { className: 'watch-days', attrs: { role: 'group' } },
    WEEKDAYS.map((day) =>
      el('label', { className: 'watch-day' }, [
        el('input', { attrs: { type: 'checkbox', name, value: String(day) } }),
        weekdayName(day),
      ]),
    ),
  );
}

const field = (labelKey, control) =>
  el('label', { className: 'watch-field' }, [el('span', { text: t(labelKey) }), control]);

/** 見守りを始める: the same choices as Slack's modal; the resident is asked and must agree. */
export async function watchForm(view, pane) {
  options ??= await getJson('/watch/options');
  const frequency = el(
    'select',
    { attrs: { name: 'frequency' } },
    ['daily', 'weekdays', 'every'].map((f) =>
      el('option', { text: t(`staff.watch.frequency.${f}`), attrs: { value: f } }),
    ),
  );
  const weekdays = dayBoxes('weekdays');
  const every = el('input', { attrs: { type: 'number', name: 'every', min: 2, max: 30, value: 2 } });
  const slot = el(
    'select',
    { attrs: { name: 'slot' } },
    options.slots.map((s) => el('option', { text: s, attrs: { value: s } })),
  );
  const duration = el('input', {
    attrs: { type: 'number', name: 'duration', min: 1, max: options.maxDurationDays, value: 30 },
  });
  const threshold = el('input', { attrs: { type: 'number', name: 'threshold', min: 1, max: 10, value: 2 } });
  const daysOff = dayBoxes('days-off');
  const weekdaysField = field('staff.watch.modal.weekdays', weekdays);
  const everyField = field('staff.watch.modal.every', every);
  const showChoices = () => {
    weekdaysField.hidden = frequency.value !== 'weekdays';
    everyField.hidden = frequency.value !== 'every';
  };
  frequency.addEventListener('change', showChoices);
  showChoices();
  const checked = (group) => [...group.querySelectorAll('input:checked')].map((input) => Number(input.value));
  return pane.formFor(
    view,
    'staff.watch.modal.title',
    [
      el('p', { className: 'form-warning', text: t('staff.watch.modal.note') }),
      field('staff.watch.modal.frequency', frequency),
      weekdaysField,
      everyField,
      field('staff.watch.modal.slot', slot),
      field('staff.watch.modal.duration', duration),
      field('staff.watch.modal.threshold', threshold),
      field('staff.watch.modal.days-off', daysOff),
    ],
    'staff.watch.modal.submit',
    async () => {
      const kind = frequency.value;
      if (kind === 'weekdays' && checked(weekdays).length === 0) {
        pane.ephemeral(view.id, t('staff.watch.modal.pick-days'));
        return false;
      }
      const plan = {
        frequency:
          kind === 'weekdays'
            ? { kind, days: checked(weekdays) }
            : kind === 'every'
              ? { kind, days: Number(every.value) }
              : { kind },
        slot: slot.value,
        durationDays: Number(duration.value),
        missThreshold: Number(threshold.value),
        daysOff: checked(daysOff),
      };
      const { status, body } = await postJson(`/cases/${encodeURIComponent(view.id)}/watch`, {
        staffId: pane.staffId,
        plan,
      });
      const kindOf = body.kind ?? (status === 400 ? 'invalid' : 'error');
      // A refused field is named as the form names it, not by its path in the request.
      const field = String(body.details?.[0]?.path ?? '').split('.')[2];
      const labels = {
        frequency: kind === 'every' ? 'staff.watch.modal.every' : 'staff.watch.modal.weekdays',
        slot: 'staff.watch.modal.slot',
        durationDays: 'staff.watch.modal.duration',
        missThreshold: 'staff.watch.modal.threshold',
        daysOff: 'staff.watch.modal.days-off',
      };
      pane.ephemeral(
        view.id,
        kindOf === 'invalid'
          ? t('staff.watch.modal.invalid', { problem: t(labels[field] ?? 'staff.watch.modal.title') })
          : t(`staff.watch.ephemeral.${kindOf}`),
      );
      await pane.poll();
      return status < 400;
    },
  );
}

/** A 見守り line in a case thread; an alert carries the outcome buttons. */
export function watchNoteContent(note) {
  const [first, ...rest] = note.lines;
  const content = [
    el('p', { className: note.alert ? 'danger' : '', text: first ?? '' }),
    ...rest.map((line) => el('p', { className: 'watch-history', text: line })),
  ];
  if (note.outcomes.length > 0)
    content.push(
      el(
        'div',
        { className: 'watch-outcomes' },
        note.outcomes.map((outcome) =>
          el('button', {
            className: 'slack-button',
            text: outcome.label,
            attrs: { type: 'button', 'data-action': `watch-outcome-${outcome.id}` },
            on: {
              click: (event) =>
                event.target.dispatchEvent(
                  new CustomEvent('watch-outcome', { bubbles: true, detail: { outcome: outcome.id } }),
                ),
            },
          }),
        ),
      ),
    );
  return content;
}

/** The practice clock in the staff pane's header: +1 hour / +1 day, to see check-ins come and go. */
export async function practiceClock(root, onMoved) {
  const { now, canSkip, timezone } = await getJson('/clock');
  if (!canSkip) return;
  const shown = el('time', { className: 'practice-now' });
  const show = (iso) => {
    shown.textContent = new Date(iso).toLocaleString(currentLanguage(), {
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      // The city's clock: check-ins are at its times, wherever the browser is.
      timeZone: timezone,
    });
    shown.setAttribute('datetime', iso);
  };
  const skip = (minutes) => async (event) => {
    event.target.disabled = true;
    try {
      const { body } = await postJson('/clock/skip', { minutes });
      if (body.now) show(body.now);
      await onMoved();
    } finally {
      event.target.disabled = false;
    }
  };
  show(now);
  root.replaceChildren(
    el('span', {
      className: 'practice-label',
      text: t('playground.watch.clock'),
      attrs: { title: t('playground.watch.clock-note') },
    }),
    shown,
    el('button', {
      className: 'slack-button',
      text: t('playground.watch.skip-hour'),
      attrs: { type: 'button', 'data-action': 'skip-hour' },
      on: { click: skip(60) },
    }),
    el('button', {
      className: 'slack-button',
      text: t('playground.watch.skip-day'),
      attrs: { type: 'button', 'data-action': 'skip-day' },
      on: { click: skip(24 * 60) },
    }),
  );
  root.hidden = false;
}
