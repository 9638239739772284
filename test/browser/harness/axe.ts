import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** WCAG 2.1 A and AA: what the accessibility laws the pages answer to ask. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe-core's WCAG 2.1 AA findings on the page as it is now, worded for a failure message. */
export async function axeViolations(page: Page, tags: readonly string[] = WCAG_TAGS): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (runOnly) => {
    type Found = { id: string; help: string; nodes: Array<{ target: string[] }> };
    const axe = (globalThis as unknown as { axe: { run(c: unknown, o: unknown): Promise<{ violations: Found[] }> } })
      .axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: runOnly },
    });
    return result.violations.map((v) => `${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, tags);
}
