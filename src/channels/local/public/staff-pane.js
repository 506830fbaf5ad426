import { getJson, postJson } from './api.js';
import { el } from './dom.js';
import { alertBody } from './staff-alert.js';
import { STAFF_IDS, staffName } from './staff-names.js';
import { threadLines } from './staff-thread.js';
import { watchForm } from './staff-watch.js';
import { currentLanguage, t } from './texts.js';

const EPHEMERAL_MS = 8000;

const newReplyId = () =>
  globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/** The staff side: a Slack-like channel with one alert per case, its buttons and its thread. */
export class StaffPane {
  constructor(root, { toast }) {
    this.root = root;
    this.toast = toast;
    this.log = root.querySelector('#channel-log');
    this.picker = root.querySelector('#staff-picker');
    this.windows = [];
    this.epoch = undefined;
    this.after = 0;
    this.cases = new Map();
    this.threads = new Map();
    this.cards = new Map();
    this.picker.addEventListener('change', () => this.renderAll());
    // 見守り's outcome buttons sit in a thread line; the card they belong to says which case.
    this.log.addEventListener('watch-outcome', (event) => {
      const caseId = event.target.closest('article[data-case]')?.dataset.case;
      const view = caseId && this.cases.get(caseId);
      if (view) void this.act(view, 'watch/outcome', { outcome: event.detail.outcome });
    });
    // "n min waiting" keeps counting even when nothing new arrives.
    setInterval(() => this.renderAll(), 30_000);
  }

  get staffId() {
    return this.picker.value;
  }

  async start() {
    const chosen = this.picker.value || STAFF_IDS[0];
    this.picker.replaceChildren(
      ...STAFF_IDS.map((id) =>
        el('option', { text: staffName(id), attrs: { value: id, selected: id === chosen } }),
      ),
    );
    await this.reload();
  }

  /** Everything again, in the page's language (after a language switch or a restart of the service). */
  async reload() {
    const language = currentLanguage();
    const [{ windows }, { cases }] = await Promise.all([
      getJson('/windows', { lang: language }),
      getJson('/cases', { lang: language }),
    ]);
    this.windows = windows;
    this.cases = new Map(cases.map((c) => [c.id, c]));
    this.threads = new Map();
    this.epoch = undefined;
    this.after = 0;
    for (const card of this.cards.values()) card.root.remove();
    this.cards = new Map();
    await this.poll();
    this.renderAll();
  }

  async poll() {
    const page = await getJson('/staff/feed', { after: this.after, lang: currentLanguage() });
    if (this.epoch !== undefined && page.epoch !== this.epoch) {
      await this.reload();
      return;
    }
    this.epoch = page.epoch;
    this.after = Math.max(this.after, page.latest);
    const changed = new Set();
    const refetch = new Set();
    for (const entry of page.entries) {
      const thread = this.threads.get(entry.caseId) ?? [];
      if (thread.some((known) => known.sequence === entry.sequence)) continue;
      if (entry.case && this.updateCase(entry.case)) refetch.add(entry.caseId);
      if (entry.note) this.threads.set(entry.caseId, [...thread, entry]);
      changed.add(entry.caseId);
    }
    for (const caseId of refetch) await this.refetchThread(caseId);
    for (const caseId of changed) this.renderCard(caseId);
  }

  /**
   * Keeps the case's latest view. true when who holds it changed: personal content in its thread is
   * withheld until someone takes the case, so the thread must be read again.
   */
  updateCase(view) {
    const before = this.cases.get(view.id);
    this.cases.set(view.id, view);
    return before !== undefined && (before.status !== view.status || before.assignee !== view.assignee);
  }

  async refetchThread(caseId) {
    const page = await getJson('/staff/feed', { after: 0, caseId, lang: currentLanguage() });
    this.threads.set(
      caseId,
      page.entries.filter((entry) => entry.note),
    );
    const last = page.entries.at(-1);
    if (last?.case) this.cases.set(caseId, last.case);
  }

  renderAll() {
    for (const caseId of this.cases.keys()) this.renderCard(caseId);
    this.renderEmpty();
  }

  renderEmpty() {
    const empty = this.log.querySelector('.channel-empty');
    if (this.cases.size > 0) empty?.remove();
    else if (!empty)
      this.log.append(el('p', { className: 'channel-empty', text: t('playground.staff.empty') }));
  }

  renderCard(caseId) {
    const view = this.cases.get(caseId);
    if (!view) return;
    let card = this.cards.get(caseId);
    if (!card) {
      card = {
        root: el('article', { className: 'message alert', attrs: { 'data-case': caseId } }),
        body: el('div', { className: 'alert-body' }),
        actions: el('div', { className: 'actions' }),
        form: el('div', { className: 'form-slot' }),
        ephemeral: el('div', { className: 'ephemeral-slot' }),
        thread: el('div', { className: 'thread' }),
      };
      card.root.append(
        el('div', {
          className: 'app-avatar',
          text: t('playground.staff.app-avatar'),
          attrs: { 'aria-hidden': 'true' },
        }),
        el('div', { className: 'message-main' }, [
          card.body,
          card.actions,
          card.form,
          card.ephemeral,
          card.thread,
        ]),
      );
      this.cards.set(caseId, card);
      this.insertInOrder(card.root, view);
      this.renderEmpty();
      this.log.scrollTop = this.log.scrollHeight;
    }
    card.body.replaceChildren(...alertBody(view));
    card.actions.replaceChildren(...this.buttons(view, card));
    card.thread.replaceChildren(...threadLines(this.threads.get(caseId) ?? []));
    card.root.classList.toggle('urgent', view.urgent);
    card.root.classList.toggle('closed', view.status === 'closed');
  }

  insertInOrder(node, view) {
    // Oldest first, as a channel reads; a new case lands at the bottom.
    const later = [...this.cards.entries()].find(
      ([id, other]) =>
        id !== view.id &&
        (this.cases.get(id)?.waitingSince ?? '') > view.waitingSince &&
        other.root.isConnected,
    );
    if (later) this.log.insertBefore(node, later[1].root);
    else this.log.append(node);
  }

  buttons(view, card) {
    const open = view.status !== 'closed';
    const button = (key, className, enabled, onClick) =>
      el('button', {
        className: `slack-button ${className}`,
        text: t(key),
        attrs: { type: 'button', disabled: !enabled, 'data-action': className },
        on: { click: onClick },
      });
    return [
      button(
        'playground.action.accept',
        'accept',
        view.status === 'pending',
        () => void this.act(view, 'accept', {}),
      ),
      button('playground.action.reroute', 'reroute', open, () =>
        this.openForm(card, this.rerouteForm(view, card)),
      ),
      button('playground.action.reply', 'reply', open && view.status === 'assigned' && !view.erased, () =>
        this.openForm(card, this.replyForm(view, card)),
      ),
      button('handover.button', 'handover', view.status !== 'pending', () =>
        this.openForm(card, this.handoverForm(view, card)),
      ),
      button('playground.action.close', 'close', open, () => this.openForm(card, this.closeForm(view, card))),
      // 見守り is offered on an open case and after the close alike.
      button('staff.watch.button', 'watch', !view.erased, async () =>
        this.openForm(card, await watchForm(view, this)),
      ),
    ];
  }

  /** The person's consent can be recorded only when they spoke for themselves and named themselves. */
  consentBox(view, key) {
    if (view.origin.id === 'neighbour' || view.anonymous || view.erased)
      return {
        node: el('p', { className: 'form-hint', text: t('handover.modal.no-consent') }),
        box: undefined,
      };
    const box = el('input', { attrs: { type: 'checkbox', 'data-field': 'consent' } });
    return { node: el('label', { className: 'form-check' }, [box, ` ${t(key)}`]), box };
  }

  handoverForm(view, card) {
    const select = el(
      'select',
      { attrs: { 'aria-label': t('handover.modal.window') } },
      this.windows.map((w) =>
        el('option', { text: w.name, attrs: { value: w.id, selected: w.id === view.window.id } }),
      ),
    );
    const consent = this.consentBox(view, 'handover.modal.consent-option');
    // Or ask the resident in the chat: their answer decides the sheet.
    const ask = consent.box && el('input', { attrs: { type: 'checkbox', 'data-field': 'ask-resident' } });
    return this.formWithTitle(
      card,
      t('handover.modal.title'),
      [
        select,
        consent.node,
        ask && el('label', { className: 'form-check' }, [ask, ` ${t('handover.modal.ask-option')}`]),
      ].filter(Boolean),
      t('handover.modal.submit'),
      () =>
        this.act(view, 'handover-sheet', {
          windowId: select.value,
          consent: consent.box?.checked ?? false,
          ask: ask?.checked ?? false,
        }),
    );
  }

  /** A form on a case's card (for forms built elsewhere, such as 見守り's). */
  formFor(view, titleKey, fields, submitKey, submit) {
    return this.form(this.cards.get(view.id), titleKey, fields, submitKey, submit);
  }

  openForm(card, form) {
    card.form.replaceChildren(form);
    form.querySelector('textarea, select, input')?.focus();
  }

  rerouteForm(view, card) {
    const select = el(
      'select',
      { attrs: { 'aria-label': t('playground.form.reroute-to') } },
      this.windows
        .filter((w) => w.id !== view.window.id)
        .map((w) => el('option', { text: w.name, attrs: { value: w.id } })),
    );
    // A reroute offers the receiving window a つなぐシート (ticked; staff may untick it).
    const attach = el('input', { attrs: { type: 'checkbox', checked: true, 'data-field': 'attach-sheet' } });
    const consent = this.consentBox(view, 'handover.modal.consent-option');
    return this.form(
      card,
      'playground.form.reroute-title',
      [
        select,
        el('label', { className: 'form-check' }, [attach, ` ${t('handover.modal.attach-option')}`]),
        consent.node,
      ],
      'playground.form.reroute-submit',
      async () => {
        const windowId = select.value;
        const moved = await this.act(view, 'reroute', { windowId });
        if (moved && attach.checked)
          await this.act(view, 'handover-sheet', { windowId, consent: consent.box?.checked ?? false });
        return moved;
      },
    );
  }

  replyForm(view, card) {
    const text = el('textarea', {
      attrs: {
        rows: 3,
        maxlength: 2000,
        placeholder: t('playground.form.reply-placeholder'),
        'aria-label': t('playground.action.reply'),
      },
    });
    const warning = el('p', { className: 'form-warning', text: t('playground.form.reply-warning') });
    return this.form(
      card,
      'playground.form.reply-title',
      [warning, text],
      'playground.form.reply-submit',
      async () => {
        if (!text.value.trim()) return false;
        return this.act(view, 'reply', { text: text.value, replyId: newReplyId() });
      },
    );
  }

  closeForm(view, card) {
    const note = el('textarea', {
      attrs: {
        rows: 2,
        maxlength: 1000,
        placeholder: t('playground.form.close-placeholder'),
        'aria-label': t('playground.form.close-title'),
      },
    });
    return this.form(card, 'playground.form.close-title', [note], 'playground.form.close-submit', async () =>
      this.act(view, 'close', { note: note.value.trim() || undefined }),
    );
  }

  form(card, titleKey, fields, submitKey, submit) {
    return this.formWithTitle(card, t(titleKey), fields, t(submitKey), submit);
  }

  formWithTitle(card, title, fields, submitText, submit) {
    const node = el('form', { className: 'slack-form' }, [
      el('strong', { text: title }),
      ...fields,
      el('div', { className: 'form-buttons' }, [
        el('button', {
          className: 'slack-button primary',
          text: submitText,
          attrs: { type: 'submit', 'data-action': 'submit' },
        }),
        el('button', {
          className: 'slack-button',
          text: t('playground.form.cancel'),
          attrs: { type: 'button' },
          on: { click: () => card.form.replaceChildren() },
        }),
      ]),
    ]);
    node.addEventListener('submit', async (event) => {
      event.preventDefault();
      if ((await submit()) !== false) card.form.replaceChildren();
    });
    return node;
  }

  /** Calls the staff action; an outcome other than success is shown to this person only, as Slack does. */
  async act(view, action, body) {
    const { status, body: result } = await postJson(`/cases/${encodeURIComponent(view.id)}/${action}`, {
      staffId: this.staffId,
      ...body,
    });
    const holderChanged = result.case ? this.updateCase(result.case) : false;
    if (status >= 400) {
      const key = result.kind ? `playground.result.${result.kind}` : 'playground.error.request';
      this.ephemeral(
        view.id,
        t(key, { name: staffName(result.assignee), message: result.message ?? status }),
      );
    }
    await this.poll();
    if (holderChanged) await this.refetchThread(view.id);
    this.renderCard(view.id);
    return status < 400;
  }

  ephemeral(caseId, text) {
    const card = this.cards.get(caseId);
    if (!card) {
      this.toast(text);
      return;
    }
    const note = el('div', { className: 'ephemeral', attrs: { role: 'status' } }, [
      el('span', { className: 'ephemeral-label', text: t('playground.staff.only-you') }),
      el('span', { text }),
    ]);
    card.ephemeral.replaceChildren(note);
    setTimeout(() => note.remove(), EPHEMERAL_MS);
  }
}
