import {
  UI_LANGUAGE_NAMES,
  UI_LANGUAGES,
  type OperatorInfo,
  type PrivacyNoticeResponse,
  type UiLanguage,
} from '@pressroom/protocol';
import type { Say } from '../i18n/catalog-text';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);

/** Only http(s) links are made clickable (the privacy URL is validated as such; belt and braces). */
const isWebUrl = (url: string) => /^https?:\/\//i.test(url);
/** An e-mail address in the contact becomes a mailto: link; anything else (a postal address) stays text. */
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** Light and dark, large type, one column: readable on a phone and by screen readers. */
const STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #ffffff; --muted: #4a5360; --link: #0b57d0; --line: #d7dce2; }
@media (prefers-color-scheme: dark) { :root { --fg: #eef1f4; --bg: #15181c; --muted: #b4bcc6; --link: #8ab4f8; --line: #3a4048; } }
* { box-sizing: border-box; }
body { margin: 0; font: 1.0625rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
main, footer { max-width: 44rem; margin: 0 auto; padding: 1rem 1.25rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 1rem 0 0.5rem; }
h2 { font-size: 1.2rem; margin: 1.75rem 0 0.5rem; }
p, ul { margin: 0.5rem 0; }
li { margin: 0.35rem 0; }
a { color: var(--link); text-underline-offset: 0.15em; }
a:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
.summary { font-size: 1.125rem; }
.back { display: inline-block; padding: 0.75rem 0; min-height: 44px; }
.languages ul { display: flex; flex-wrap: wrap; gap: 0 1rem; list-style: none; padding: 0; margin: 0; }
.languages a { display: inline-block; padding: 0.6rem 0; min-height: 44px; }
.languages a[aria-current] { color: var(--fg); font-weight: 600; text-decoration: none; }
footer { border-top: 1px solid var(--line); color: var(--muted); font-size: 0.95rem; }
footer a { color: var(--link); }
`;

/** The operator line every page shows at its foot: name, contact, policy (as HTML). */
export function operatorFooterHtml(operator: OperatorInfo, say: Say): string {
  const parts = [
    escape(operator.name ? say('footer.run_by', { operator: operator.name }) : say('footer.unnamed')),
    ...(operator.contact ? [contactHtml(operator.contact)] : []),
    ...(operator.privacyUrl && isWebUrl(operator.privacyUrl)
      ? [`<a href="${escape(operator.privacyUrl)}" rel="noreferrer">${escape(say('footer.policy'))}</a>`]
      : []),
  ];
  return `<footer><p>${parts.join(' · ')}</p></footer>`;
}

/** The pages' languages as links (`?language=fr`, remembered by the server): a menu with no script. */
function languageLinksHtml(current: UiLanguage, say: Say): string {
  const links = UI_LANGUAGES.map(
    (language) =>
      `<li><a href="?language=${language}" lang="${language}" hreflang="${language}"${
        language === current ? ' aria-current="true"' : ''
      }>${escape(UI_LANGUAGE_NAMES[language])}</a></li>`,
  );
  return `<nav class="languages" aria-label="${escape(say('page.languages'))}"><ul>${links.join('')}</ul></nav>`;
}

function contactHtml(contact: string): string {
  return EMAIL.test(contact) ? `<a href="mailto:${escape(contact)}">${escape(contact)}</a>` : escape(contact);
}

/** `/:slug/privacy`: the notice as a page of its own, no script, in the notice's language. */
export function noticePageHtml({ event, server, language, notice }: PrivacyNoticeResponse, say: Say): string {
  const sections = notice.sections
    .map(
      (section) => `<section aria-labelledby="${section.id}">
<h2 id="${section.id}">${escape(section.heading)}</h2>
${section.paragraphs.map((text) => `<p>${linkify(text)}</p>`).join('\n')}
${section.items.length ? `<ul>\n${section.items.map((text) => `<li>${linkify(text)}</li>`).join('\n')}\n</ul>` : ''}
</section>`,
    )
    .join('\n');
  return page(
    language,
    notice.title,
    `<main>
<a class="back" href="/${escape(encodeURIComponent(event.slug))}">${escape(say('page.back'))}</a>
${languageLinksHtml(language, say)}
<h1>${escape(notice.title)}</h1>
<p class="summary">${escape(notice.summary)}</p>
${sections}
</main>
${operatorFooterHtml(server.operator, say)}`,
  );
}

/** A page for an address that is no event. */
export function noticeErrorHtml(language: UiLanguage, say: Say, message: string): string {
  const title = escape(say('page.error_title'));
  return page(
    language,
    say('page.error_title'),
    `<main><h1>${title}</h1><p>${escape(message)}</p><p><a href="/">${escape(say('page.home'))}</a></p></main>`,
  );
}

function page(language: UiLanguage, title: string, body: string): string {
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** The policy URL and contact addresses in the notice's text become links; everything is escaped first. */
function linkify(text: string): string {
  return escape(text)
    .replace(/https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g, (url) => `<a href="${url}" rel="noreferrer">${url}</a>`)
    .replace(
      /(^|[\s(])([^\s@<>();:,]+@[^\s@<>();:,]+\.[a-z]{2,})(?=[\s.,;:)]|$)/gi,
      (_, before: string, email: string) => `${before}<a href="mailto:${email}">${email}</a>`,
    );
}
