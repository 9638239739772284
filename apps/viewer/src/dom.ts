/** The few DOM helpers the page needs. Text always goes in as text nodes, never as HTML. */
import {
  comesLater,
  loadLaterMessages,
  onLanguageChange,
  pageLanguage,
  t,
  type MessageParams,
  type PageKey,
} from './i18n';

type Attributes = Record<string, string | boolean | undefined>;
type Child = Node | string | null | undefined | false;

/** `h('li', { class: 'question' }, 'text', h('span', {}, '…'))`; `false`/`undefined` attributes are left out. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

/** The element with this id, which index.html must have. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`index.html has no #${id}`);
  return element as T;
}

export function show(element: HTMLElement, visible: boolean): void {
  element.hidden = !visible;
}

/**
 * Makes `list`'s children match `items` in order, keeping the element of every item whose `version`
 * did not change (nor the page's language): a new chat message adds one element. Focus inside a redrawn element moves to its new button.
 */
export function renderList<T>(
  list: HTMLElement,
  items: readonly T[],
  key: (item: T) => string,
  version: (item: T) => string,
  render: (item: T) => HTMLElement,
): void {
  const existing = new Map<string, HTMLElement>();
  for (const child of Array.from(list.children) as HTMLElement[]) existing.set(child.dataset['key'] ?? '', child);
  let cursor = list.firstElementChild;
  for (const item of items) {
    const id = key(item);
    const stamp = `${pageLanguage()}|${version(item)}`;
    let element = existing.get(id);
    existing.delete(id);
    if (element && element.dataset['version'] !== stamp) {
      const fresh = render(item);
      const hadFocus = element.contains(document.activeElement);
      element.replaceWith(fresh);
      if (hadFocus) (fresh.querySelector<HTMLElement>('button') ?? fresh).focus();
      if (cursor === element) cursor = fresh;
      element = fresh;
    }
    if (!element) element = render(item);
    element.dataset['key'] = id;
    element.dataset['version'] = stamp;
    if (element === cursor) cursor = cursor.nextElementSibling;
    else list.insertBefore(element, cursor);
  }
  for (const stale of existing.values()) stale.remove();
}

/** Screen readers hear this politely; the text is replaced so the same news can be told twice. */
export function announce(text: string): void {
  const region = byId('announcer');
  region.textContent = '';
  window.setTimeout(() => (region.textContent = text), 50);
}

/** Text that code sets and that follows the page's language: each element's latest, drawn again on a change. */
const localized = new Map<HTMLElement, () => string>();
const redrawLocalized = () => {
  for (const [element, text] of localized) element.textContent = text();
};
onLanguageChange(() => {
  redrawLocalized();
  // An announcement already read stays no longer in the language before.
  document.getElementById('announcer')?.replaceChildren();
});

/** Sets `element`'s text: a function is called again after each change of language, a string stays as it is. */
export function setText(element: HTMLElement, text: string | (() => string)): void {
  if (typeof text === 'string') localized.delete(element);
  else localized.set(element, text);
  element.textContent = typeof text === 'string' ? text : text();
}

/**
 * The refusals the first script says itself (the build keeps the messages the page's code names in the
 * catalog each page preloads): those a page shows while the network or the server is down, or on its very
 * first request. Every other `error.<code>` is a rare refusal of an action (already voted, slow mode, the
 * stage is full…) and comes with the later messages, which every event page fetches at its start, beside
 * hls.js (stage.ts).
 */
export const REFUSALS_AT_ONCE = [
  // The live connection's own (libs/live-client): an action sent while it is down, or not answered.
  'error.disconnected',
  'error.timeout',
  'error.unreachable',
  'error.internal',
  'error.unauthorized',
  'error.rate_limited',
  'error.banned',
] as const satisfies readonly PageKey[];

/**
 * A refusal from the server in the page's language, by its code (`error.<code>` in the catalog); the
 * server's own message for `bad_request` (it says best what was wrong) and for a code the catalog does not
 * have: those of the moderators' actions (slug_taken, invalid_order, restream_*…), which never reach this page.
 * A rare refusal before the later messages are here (they are fetched at the start): the server's message
 * stands in, and text set with `setText` is drawn again in the page's language once they come.
 */
export function errorText(error: { code: string; message: string }, params?: MessageParams): string {
  if (error.code === 'bad_request') return error.message;
  const key = `error.${error.code}` as PageKey;
  if (comesLater(key)) void loadLaterMessages().then(redrawLocalized, () => undefined);
  const text = t(key, params);
  return text === key ? error.message : text;
}

const formats = new Map<string, Intl.DateTimeFormat>();
const DATE_STYLES = { time: { timeStyle: 'short' }, dateTime: { dateStyle: 'full', timeStyle: 'short' } } as const;

/** In the page's language, as the browser writes it where it reads that language (en-GB, de-AT). */
function dateFormat(style: keyof typeof DATE_STYLES): Intl.DateTimeFormat {
  const language = pageLanguage();
  let format = formats.get(`${language} ${style}`);
  if (!format) {
    const locale = navigator.languages.find((tag) => tag.toLowerCase().split('-')[0] === language) ?? language;
    format = new Intl.DateTimeFormat(locale, DATE_STYLES[style]);
    formats.set(`${language} ${style}`, format);
  }
  return format;
}

export const formatTime = (iso: string): string => dateFormat('time').format(new Date(iso));
export const formatDateTime = (iso: string): string => dateFormat('dateTime').format(new Date(iso));
