import { clock, el } from './dom.js';
import { staffName } from './staff-names.js';
import { watchNoteContent } from './staff-watch.js';
import { currentLanguage, t } from './texts.js';

/** A case's thread: notes from the app and replies staff sent, each reply with its delivery mark. */
export function threadLines(entries) {
  if (entries.length === 0) return [];
  const deliveries = new Map();
  for (const entry of entries)
    if (entry.note.type === 'delivery') deliveries.set(entry.note.replyId, entry.note);
  const shown = entries.filter(
    (entry) =>
      entry.note.type !== 'delivery' ||
      !entries.some((e) => e.note.type === 'staff-reply' && e.note.replyId === entry.note.replyId),
  );
  return [
    el('p', { className: 'thread-count', text: t('playground.thread.count', { count: shown.length }) }),
    ...shown.map((entry) => threadLine(entry, deliveries)),
  ];
}

function threadLine(entry, deliveries) {
  const { note } = entry;
  const fromStaff = note.type === 'staff-reply';
  const author = fromStaff ? staffName(note.staffId) : t('playground.staff.app-name');
  const kind = note.type === 'watch' ? ` watch-${note.kind}` : '';
  return el('div', { className: `thread-line ${note.type}${kind}`, attrs: { 'data-note': note.type } }, [
    el('div', { className: 'message-meta' }, [
      el('strong', { className: 'sender', text: author }),
      el('time', { text: clock(entry.at, currentLanguage()), attrs: { datetime: entry.at } }),
    ]),
    ...noteContent(note, deliveries),
  ]);
}

function noteContent(note, deliveries) {
  const line = (key, values) => el('p', { text: t(key, values) });
  switch (note.type) {
    case 'intake':
      if (note.hidden) return [el('p', { className: 'muted', text: t('playground.thread.intake-hidden') })];
      return [
        el('strong', { text: t('playground.thread.intake') }),
        el(
          'dl',
          { className: 'summary' },
          note.lines.map((l) => el('div', {}, [el('dt', { text: l.label }), el('dd', { text: l.value })])),
        ),
        note.ownWords && el('p', { className: 'own-words-label', text: t('playground.thread.own-words') }),
        note.ownWords && el('blockquote', { text: note.ownWords }),
      ];
    case 'resident-message':
      if (note.hidden) return [el('p', { className: 'muted', text: t('playground.thread.resident-hidden') })];
      return [
        el('p', { className: 'muted', text: t('playground.thread.resident') }),
        el('blockquote', { text: note.text }),
      ];
    case 'crisis':
      return [el('p', { className: 'danger', text: t('playground.thread.crisis') })];
    case 'escalation':
      return [line(`playground.thread.escalation-${note.level}`, { minutes: note.waitingMinutes })];
    case 'accepted':
      return [line('playground.thread.accepted', { name: staffName(note.staffId) })];
    case 'rerouted':
      return [
        line('playground.thread.rerouted', { name: staffName(note.staffId), from: note.from, to: note.to }),
      ];
    case 'closed':
      return [
        line('playground.thread.closed', { name: staffName(note.staffId) }),
        note.note && el('blockquote', { className: 'internal', text: note.note }),
      ];
    case 'reopened':
      return [line('playground.thread.reopened')];
    case 'satisfaction':
      return [line('playground.thread.satisfaction', { score: note.score })];
    case 'erased':
      return [line('playground.thread.erased')];
    case 'delivery':
      return [deliveryMark(note)];
    case 'handover-sheet':
      return [
        line('handover.pane.posted', {
          variant: t(`handover.variant.${note.consent ? 'consented' : 'support-meeting'}`),
          window: note.to,
        }),
        el('p', { className: 'sheet-links' }, [
          el('a', {
            text: t('handover.pane.pdf'),
            attrs: { href: note.pdfUrl, target: '_blank', rel: 'noopener', 'data-sheet': 'pdf' },
          }),
          ' · ',
          el('a', {
            text: t('handover.pane.markdown'),
            attrs: { href: note.markdownUrl, target: '_blank', rel: 'noopener', 'data-sheet': 'markdown' },
          }),
        ]),
      ];
    case 'consent-asked':
      return [line('handover.pane.consent-asked', { name: staffName(note.staffId), window: note.to })];
    case 'staff-reply':
      return [
        el('p', { className: 'muted', text: t('playground.thread.staff-reply') }),
        el('blockquote', { className: 'to-resident', text: note.text }),
        deliveryMark(deliveries.get(note.replyId)),
      ];
    case 'watch':
      return watchNoteContent(note);
    default:
      return [];
  }
}

function deliveryMark(delivery) {
  if (!delivery) return el('p', { className: 'delivery pending', text: t('playground.thread.sending') });
  return delivery.delivered
    ? el('p', {
        className: 'delivery ok',
        attrs: { 'data-delivered': 'true' },
        text: t('playground.thread.delivered'),
      })
    : el('p', {
        className: 'delivery failed',
        attrs: { 'data-delivered': 'false' },
        text: t('playground.thread.failed', { error: delivery.error ?? '' }),
      });
}
