import { getJson, postJson } from './api.js';
import { clock, el } from './dom.js';
import { currentLanguage, t } from './texts.js';

const STORAGE_KEY = 'madoguchi.playground.residents';
/** A place to send with the location button: the page has no GPS, and a real address would be someone's. */
const SAMPLE_LOCATION = { latitude: 35.1283, longitude: 137.0395 };

/** The resident side: a LINE-like chat per simulated resident, each with its own id and session. */
export class ResidentPane {
  constructor(root, { toast }) {
    this.root = root;
    this.toast = toast;
    this.residents = new Map();
    this.current = undefined;
    this.tabs = root.querySelector('#resident-tabs');
    this.log = root.querySelector('#chat-log');
    this.quickReplies = root.querySelector('#quick-replies');
    this.input = root.querySelector('#composer-input');
    root.querySelector('#composer').addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.input.value;
      if (!text.trim()) return;
      this.input.value = '';
      void this.send({ type: 'text', text });
    });
    root
      .querySelector('#sticker-button')
      .addEventListener('click', () => void this.send({ type: 'sticker' }));
    root.querySelector('#location-button').addEventListener('click', () => {
      void this.send({
        type: 'location',
        ...SAMPLE_LOCATION,
        address: t('playground.resident.sample-address'),
      });
    });
    root.querySelector('#add-resident').addEventListener('click', () => void this.addResident());
  }

  async start() {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
    const { residents } = await getJson('/residents');
    const ids = [...new Set([...stored, ...residents.slice().reverse()])].filter((id) =>
      /^[a-z0-9-]{1,40}$/.test(id),
    );
    for (const id of ids) this.track(id);
    if (ids.length === 0) await this.addResident();
    else this.select(ids[0]);
  }

  track(id) {
    if (!this.residents.has(id)) {
      this.residents.set(id, {
        id,
        epoch: undefined,
        after: 0,
        entries: [],
        typing: false,
        unread: false,
        quickRepliesSpent: false,
      });
      localStorage.setItem(STORAGE_KEY, JSON.stringify([...this.residents.keys()]));
    }
    return this.residents.get(id);
  }

  /** A new resident adds the city's account as a friend, as on LINE: the welcome follows. */
  async addResident() {
    let n = this.residents.size + 1;
    while (this.residents.has(`resident-${n}`)) n++;
    const id = `resident-${n}`;
    this.track(id);
    this.select(id);
    await this.post(id, { type: 'follow' });
  }

  select(id) {
    this.current = id;
    const state = this.residents.get(id);
    if (state) state.unread = false;
    this.renderTabs();
    this.renderChat();
    this.input.focus();
  }

  async send(content) {
    if (this.current) await this.post(this.current, content);
  }

  async post(id, content) {
    // As in LINE, the quick replies go away as soon as the resident sends anything, until the chat
    // moves on: a tap on one while the message is on its way would answer a question that the
    // message may already have answered.
    const state = this.residents.get(id);
    if (state) state.quickRepliesSpent = true;
    if (id === this.current) this.renderQuickReplies([]);
    const { status, body } = await postJson(`/residents/${encodeURIComponent(id)}/events`, content);
    if (status !== 202) {
      this.toast(t('playground.error.request', { message: body.message ?? status }));
      // Nothing was sent: the question and its quick replies are still the ones to answer.
      if (state) state.quickRepliesSpent = false;
      if (id === this.current) this.renderChat();
    }
    await this.poll();
  }

  async poll() {
    for (const state of this.residents.values()) {
      const page = await getJson(`/residents/${encodeURIComponent(state.id)}/messages`, {
        after: state.epoch === undefined ? 0 : state.after,
      });
      if (page.epoch !== state.epoch) {
        // The service restarted: its memory of the chat is gone, so the pane starts over too.
        const restarted = state.epoch !== undefined;
        Object.assign(state, { epoch: page.epoch, entries: [], after: 0, quickRepliesSpent: false });
        if (restarted) continue;
      }
      const typingChanged = state.typing !== page.typing;
      // Two polls may overlap (a send polls at once): an entry already shown is not shown twice.
      const known = state.entries.at(-1)?.sequence ?? 0;
      const fresh = page.entries.filter((entry) => entry.sequence > known);
      state.typing = page.typing;
      state.after = Math.max(state.after, page.latest);
      if (fresh.length === 0 && !typingChanged) continue;
      state.entries.push(...fresh);
      if (fresh.length > 0) state.quickRepliesSpent = false;
      if (state.id === this.current) this.renderChat();
      else if (fresh.length > 0) {
        state.unread = true;
        this.renderTabs();
      }
    }
  }

  renderTabs() {
    this.tabs.replaceChildren(
      ...[...this.residents.values()].map((state) =>
        el(
          'button',
          {
            className: `tab${state.id === this.current ? ' selected' : ''}${state.unread ? ' unread' : ''}`,
            attrs: { type: 'button', role: 'tab', 'aria-selected': state.id === this.current },
            on: { click: () => this.select(state.id) },
          },
          [el('span', { className: 'avatar-dot', text: state.id.replace(/^resident-/, '') }), state.id],
        ),
      ),
    );
  }

  renderChat() {
    const state = this.residents.get(this.current);
    const entries = state?.entries ?? [];
    const nodes = entries.map((entry) => (entry.from === 'bot' ? botBubble(entry) : residentBubble(entry)));
    if (state?.typing) nodes.push(typingBubble());
    if (nodes.length === 0)
      nodes.push(el('p', { className: 'chat-empty', text: t('playground.resident.empty') }));
    this.log.replaceChildren(...nodes);
    const last = entries.at(-1);
    this.renderQuickReplies(last?.from === 'bot' && !state?.quickRepliesSpent ? last.quickReplies : []);
    // After the quick replies: showing them shortens the log, and the newest message must stay in view.
    this.log.scrollTop = this.log.scrollHeight;
  }

  renderQuickReplies(replies) {
    this.quickReplies.replaceChildren(...replies.map((reply) => this.quickReply(reply)));
    this.quickReplies.hidden = replies.length === 0;
  }

  quickReply(reply) {
    if (reply.kind === 'call') {
      return el(
        'button',
        {
          className: 'quick-reply call',
          attrs: { type: 'button', 'data-phone': reply.phone },
          on: {
            click: () =>
              this.toast(t('playground.resident.call-toast', { label: reply.label, phone: reply.phone })),
          },
        },
        [el('span', { className: 'phone-icon', text: '📞', attrs: { 'aria-hidden': 'true' } }), reply.label],
      );
    }
    if (reply.kind === 'link') {
      const safe = /^https?:\/\//i.test(reply.url);
      return el('a', {
        className: 'quick-reply link',
        text: `🔗 ${reply.label}`,
        attrs: { href: safe ? reply.url : undefined, target: '_blank', rel: 'noopener noreferrer' },
      });
    }
    return el('button', {
      className: 'quick-reply',
      text: reply.label,
      attrs: { type: 'button' },
      on: { click: () => void this.send({ type: 'choice', data: reply.data }) },
    });
  }
}

function botBubble(entry) {
  return el('div', { className: 'row bot' }, [
    el('div', {
      className: 'bot-avatar',
      text: t('playground.resident.bot-avatar'),
      attrs: { 'aria-hidden': 'true' },
    }),
    el('div', { className: 'bubble bot', text: entry.text }),
    el('time', {
      className: 'stamp',
      text: clock(entry.at, currentLanguage()),
      attrs: { datetime: entry.at },
    }),
  ]);
}

function residentBubble(entry) {
  const { bubble } = entry;
  if (bubble.type === 'follow') {
    return el('p', { className: 'system-line', text: t('playground.resident.followed') });
  }
  let content;
  if (bubble.type === 'sticker') {
    content = el('div', {
      className: 'sticker',
      text: '🐻',
      attrs: { role: 'img', 'aria-label': t('playground.resident.sticker') },
    });
  } else if (bubble.type === 'location') {
    content = el('div', { className: 'bubble resident location' }, [
      el('strong', { text: `📍 ${t('playground.resident.location')}` }),
      el('span', { text: bubble.address ?? `${bubble.latitude}, ${bubble.longitude}` }),
    ]);
  } else {
    content = el('div', {
      className: 'bubble resident',
      text: bubble.type === 'choice' ? bubble.label : bubble.text,
    });
  }
  return el('div', { className: 'row resident' }, [
    el('time', {
      className: 'stamp',
      text: clock(entry.at, currentLanguage()),
      attrs: { datetime: entry.at },
    }),
    content,
  ]);
}

function typingBubble() {
  return el(
    'div',
    { className: 'row bot typing', attrs: { 'aria-label': t('playground.resident.typing') } },
    [
      el('div', {
        className: 'bot-avatar',
        text: t('playground.resident.bot-avatar'),
        attrs: { 'aria-hidden': 'true' },
      }),
      el('div', { className: 'bubble bot dots' }, [el('span'), el('span'), el('span')]),
    ],
  );
}
