/** The few DOM helpers the page needs. Text always goes in as text nodes, never as HTML. */

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
 * did not change: a new chat message adds one element. Focus inside a redrawn element moves to its new button.
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
    const stamp = version(item);
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

const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

export const formatTime = (iso: string): string => time.format(new Date(iso));
export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));
