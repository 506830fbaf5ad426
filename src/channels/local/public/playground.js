import { getJson } from './api.js';
import { el } from './dom.js';
import { ResidentPane } from './resident-pane.js';
import { StaffPane } from './staff-pane.js';
import { practiceClock } from './staff-watch.js';
import { applyTexts, setTexts, t } from './texts.js';

const POLL_MS = 1000;
const LANGUAGE_KEY = 'madoguchi.playground.language';
const TOAST_MS = 5000;

function toast(text) {
  const region = document.querySelector('#toasts');
  const note = el('div', { className: 'toast', text, attrs: { role: 'status' } });
  region.append(note);
  setTimeout(() => note.remove(), TOAST_MS);
}

async function loadTexts(language) {
  const { texts, language: chosen, languages, city } = await getJson('/texts', { lang: language });
  setTexts(texts, chosen, { city });
  applyTexts();
  const select = document.querySelector('#lang-select');
  select.replaceChildren(
    ...languages.map((l) =>
      el('option', { text: l.name, attrs: { value: l.id, selected: l.id === chosen } }),
    ),
  );
  document.title = t('playground.title');
  localStorage.setItem(LANGUAGE_KEY, chosen);
}

async function main() {
  await loadTexts(localStorage.getItem(LANGUAGE_KEY) ?? navigator.language ?? 'ja');
  const residents = new ResidentPane(document.querySelector('#resident-pane'), { toast });
  const staff = new StaffPane(document.querySelector('#staff-pane'), { toast });
  document.querySelector('#lang-select').addEventListener('change', async (event) => {
    await loadTexts(event.target.value);
    residents.renderTabs();
    residents.renderChat();
    await staff.start();
  });
  await residents.start();
  await staff.start();
  await practiceClock(document.querySelector('#practice-clock'), async () => {
    await residents.poll();
    await staff.poll();
  });

  let failures = 0;
  const tick = async () => {
    try {
      await residents.poll();
      await staff.poll();
      if (failures > 0) toast(t('playground.error.reconnected'));
      failures = 0;
    } catch {
      failures++;
      if (failures === 1) toast(t('playground.error.offline'));
    } finally {
      setTimeout(tick, POLL_MS);
    }
  };
  setTimeout(tick, POLL_MS);
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  document.body.dataset.ready = 'error';
  toast(`${t('playground.error.start')} ${error instanceof Error ? error.message : String(error)}`);
});
