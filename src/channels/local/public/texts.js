/** The page's own words, from locales/<language>/playground.json (served by the texts endpoint). */
let texts = {};
let language = 'ja';
/** Values every text may use, such as {{city}}. */
let shared = {};

export function setTexts(next, nextLanguage, sharedValues = {}) {
  texts = next;
  language = nextLanguage;
  shared = sharedValues;
  document.documentElement.lang = nextLanguage;
}

export function currentLanguage() {
  return language;
}

/** A text by its key, with {{name}} filled in; the key itself when a text is missing (easy to spot). */
export function t(key, values = {}) {
  const text = texts[key] ?? key;
  const all = { ...shared, ...values };
  return text.replace(/\{\{(\w+)\}\}/g, (_match, name) => (name in all ? String(all[name]) : ''));
}

/** Fills every element that names its text: data-text (content), data-placeholder, data-label (aria-label, title). */
export function applyTexts(root = document) {
  for (const node of root.querySelectorAll('[data-text]')) node.textContent = t(node.dataset.text);
  for (const node of root.querySelectorAll('[data-placeholder]'))
    node.placeholder = t(node.dataset.placeholder);
  for (const node of root.querySelectorAll('[data-label]')) {
    node.setAttribute('aria-label', t(node.dataset.label));
    node.title = t(node.dataset.label);
  }
}
