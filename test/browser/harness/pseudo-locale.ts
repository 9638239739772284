import { build } from 'esbuild';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import {
  PSEUDO_LOCALE,
  type LayoutReport,
  type PseudoLocaleScript,
  type Replaced,
} from '../fixtures/pseudo-locale-report';

const FIXTURES = join(__dirname, '..', 'fixtures');

/** The page script of fixtures/pseudo-locale.ts with the pseudo-localizer, as one classic script. */
export async function bundlePseudoLocaleScript(): Promise<string> {
  const result = await build({
    entryPoints: [join(FIXTURES, 'pseudo-locale.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome111',
    tsconfig: join(FIXTURES, 'tsconfig.json'),
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** Every page of the context gets the script before its own (not subject to the page's CSP). */
export async function addPseudoLocaleScript(context: BrowserContext, script: string): Promise<void> {
  await context.addInitScript({ content: script });
}

type Method = keyof PseudoLocaleScript;
const call = <M extends Method>(page: Page, method: M): Promise<ReturnType<PseudoLocaleScript[M]>> =>
  page.evaluate(([key, name]) => (globalThis as unknown as Record<string, PseudoLocaleScript>)[key]![name](), [
    PSEUDO_LOCALE,
    method,
  ] as const) as Promise<ReturnType<PseudoLocaleScript[M]>>;

/**
 * Rewrites what the page says into the pseudo locale and lets the layout settle (two frames); twice, for
 * what the page wrote meanwhile (a status the first change of layout brought).
 */
export async function pseudoLocalize(page: Page): Promise<Replaced> {
  const first = await call(page, 'localize');
  await settled(page);
  const second = await call(page, 'localize');
  await settled(page);
  return { texts: first.texts + second.texts, attributes: first.attributes + second.attributes };
}

/** Two animation frames: the layout of the last change is done. */
export function settled(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const frame = (globalThis as unknown as { requestAnimationFrame(callback: () => void): number })
          .requestAnimationFrame;
        frame(() => frame(() => resolve()));
      }),
  );
}

export function checkLayout(page: Page): Promise<LayoutReport> {
  return call(page, 'check');
}

/** What is wrong on the page, one line each (nothing when the page fits and no control is cut). */
export function layoutProblems(report: LayoutReport): string[] {
  const sideways =
    report.scrollWidth > report.viewport.width
      ? [
          `the page scrolls sideways: ${report.scrollWidth} px wide in a ${report.viewport.width} px viewport; past the edge: ${report.widest.join(', ')}`,
        ]
      : [];
  return [...sideways, ...report.clipped.map(({ text, selector, problem }) => `"${text}" (${selector}) ${problem}`)];
}
