/**
 * The page's fixed text, marked in index.html: `data-i18n="key"` replaces the element's text,
 * `data-i18n-attr="aria-label:key; placeholder:key2"` its attributes. The build runs this on index.html
 * once per language (each language's page arrives already in it); the page runs it again when someone
 * picks another language. Only the DOM calls below, so the build can run it on a parsed document.
 */
export interface MarkedElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
}

export interface MarkedRoot {
  querySelectorAll(selector: string): ArrayLike<MarkedElement>;
}

export function applyStaticTexts(root: MarkedRoot, translate: (key: string) => string): void {
  for (const element of Array.from(root.querySelectorAll('[data-i18n]'))) {
    element.textContent = translate(element.getAttribute('data-i18n')!);
  }
  for (const element of Array.from(root.querySelectorAll('[data-i18n-attr]'))) {
    for (const pair of element.getAttribute('data-i18n-attr')!.split(';')) {
      const [attribute, key] = pair.split(':').map((part) => part.trim());
      if (attribute && key) element.setAttribute(attribute, translate(key));
    }
  }
}
