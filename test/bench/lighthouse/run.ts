/**
 * `npm run bench:lighthouse`: Lighthouse (its Node API, Debian's Chromium) on the real event page at a
 * phone's size, as Lighthouse's default mobile run does it (a mid-range phone: 4x slower CPU, slow 4G,
 * simulated). The API serves the production build (dist/, `npm run build:web`) with the demo event
 * `npm start` opens, a conversation under way on it. Prints, per run and as the median: the performance
 * and accessibility scores, CLS, LCP, TBT, FCP and Speed Index, what the LCP is, and what the page
 * downloaded; PASS/MISS against the targets. Reports are kept in reports/lighthouse/.
 *
 * Env: LIGHTHOUSE_RUNS (default 3), CHROME_PATH (default /usr/bin/chromium), LIGHTHOUSE_SLUG (another
 * event than the demo, on a server of its own: LIGHTHOUSE_URL=http://host:port/slug).
 */
import { launch, type LaunchedChrome } from 'chrome-launcher';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DemoService } from '../../../apps/api/src/demo/demo.service';
import { ModeratorsService } from '../../../apps/api/src/auth/moderators.service';
import { Api } from '../../e2e/harness/api';
import { LiveClient } from '../../e2e/harness/live-client';
import { startServer, type TestServer } from '../../e2e/harness/server';
import { machineBusySince, machineCpu, sleep } from '../fanout/processes';

const ROOT = resolve(__dirname, '..', '..', '..');
const WEB_DIR = join(ROOT, 'dist');
const REPORTS = join(ROOT, 'reports', 'lighthouse');
const RUNS = Number(process.env['LIGHTHOUSE_RUNS'] ?? 3);
const CHROME_PATH = process.env['CHROME_PATH'] ?? '/usr/bin/chromium';
const TARGET = { performance: 90, accessibility: 100 };

interface RunResult {
  performance: number;
  accessibility: number;
  cls: number;
  lcpMs: number;
  tbtMs: number;
  fcpMs: number;
  speedIndexMs: number;
  lcpElement: string;
  transferKb: number;
  requests: string[];
  accessibilityFailures: string[];
}

/** The parts of Lighthouse's result read here (its own types come with an ESM-only package). */
interface LighthouseResult {
  categories: Record<string, { score: number | null }>;
  audits: Record<
    string,
    {
      score: number | null;
      numericValue?: number;
      title: string;
      details?: { items?: Array<Record<string, unknown>> };
    }
  >;
}

const percentScore = (score: number | null | undefined) => Math.round((score ?? 0) * 100);

function summarize(lhr: LighthouseResult): RunResult {
  const audit = (id: string) => lhr.audits[id];
  const numeric = (id: string) => audit(id)?.numericValue ?? Number.NaN;
  const lcpItem = audit('largest-contentful-paint-element')?.details?.items?.[0] as
    { items?: Array<{ node?: { selector?: string; snippet?: string } }> } | undefined;
  const lcpNode = lcpItem?.items?.[0]?.node;
  const requests = (audit('network-requests')?.details?.items ?? []) as Array<{
    url: string;
    transferSize?: number;
    resourceSize?: number;
  }>;
  const accessibilityFailures = Object.entries(lhr.audits)
    .filter(([, a]) => a.score === 0 && lhr.categories['accessibility'] !== undefined)
    .map(([id, a]) => `${id}: ${a.title}`)
    .filter((line) => ACCESSIBILITY_AUDITS.has(line.split(':')[0]!));
  return {
    performance: percentScore(lhr.categories['performance']?.score),
    accessibility: percentScore(lhr.categories['accessibility']?.score),
    cls: numeric('cumulative-layout-shift'),
    lcpMs: numeric('largest-contentful-paint'),
    tbtMs: numeric('total-blocking-time'),
    fcpMs: numeric('first-contentful-paint'),
    speedIndexMs: numeric('speed-index'),
    lcpElement: lcpNode ? `${lcpNode.selector ?? ''} ${lcpNode.snippet ?? ''}`.trim() : 'not told by Lighthouse',
    transferKb: requests.reduce((sum, r) => sum + (r.transferSize ?? 0), 0) / 1024,
    requests: describeRequests(requests),
    accessibilityFailures,
  };
}

let ACCESSIBILITY_AUDITS = new Set<string>();

/** The page's own requests one by one; the stream's (it plays while Lighthouse watches) added up. */
function describeRequests(requests: Array<{ url: string; transferSize?: number; resourceSize?: number }>): string[] {
  const kb = (bytes = 0) => `${(bytes / 1024).toFixed(1)} KB`;
  const page = requests.filter((r) => r.url.startsWith('http') && !new URL(r.url).pathname.startsWith('/hls/'));
  const stream = requests.filter((r) => r.url.startsWith('http') && new URL(r.url).pathname.startsWith('/hls/'));
  const streamBytes = stream.reduce((sum, r) => sum + (r.transferSize ?? 0), 0);
  return [
    ...page.map((r) => `${new URL(r.url).pathname} ${kb(r.transferSize)} (${kb(r.resourceSize)} uncompressed)`),
    `/hls/… ${stream.length} requests (playlists and segments), ${kb(streamBytes)}`,
  ];
}

/** A conversation under way: the live state brings questions and messages, as at a real briefing. */
async function seed(server: TestServer): Promise<string> {
  const admin = await server.app.get(ModeratorsService).ensureFirstModerator();
  const { slug } = await server.app.get(DemoService).ensureDemoEvent(admin.id);
  const moderatorApi = await Api.asModerator(server.url);
  const moderator = await LiveClient.connect(server.url, (await moderatorApi.join(slug)).accessToken);
  const journalist = await LiveClient.connect(
    server.url,
    (await new Api(server.url).join(slug, { name: 'Ana García', outlet: 'El País' })).accessToken,
  );
  for (const text of ['Is the rail line funded in this budget?', 'When will the tax cut take effect?']) {
    const asked = (await journalist.send('question:ask', { text })) as { question: { id: string } };
    await moderator.send('question:approve', { questionId: asked.question.id });
  }
  for (const text of ['Good morning from Madrid', 'Will there be a transcript?']) {
    await journalist.send('chat:send', { text });
  }
  journalist.close();
  moderator.close();
  return slug;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

async function main(): Promise<void> {
  const idle = machineCpu();
  await sleep(1000);
  const busy = machineBusySince(idle);
  if (busy > 0.2) {
    console.log(
      `  warning: the machine is ${Math.round(busy * 100)}% busy before the benchmark: the performance score will be low`,
    );
  }

  const { default: lighthouse, defaultConfig } = await import('lighthouse');
  const accessibility = (defaultConfig.categories?.['accessibility']?.auditRefs ?? []) as Array<{ id: string }>;
  ACCESSIBILITY_AUDITS = new Set(accessibility.map((ref) => ref.id));

  let server: TestServer | undefined;
  let chrome: LaunchedChrome | undefined;
  try {
    let url = process.env['LIGHTHOUSE_URL'];
    if (!url) {
      server = await startServer({ WEB_DIR, LOG_LEVEL: 'silent' });
      url = `${server.url}/${await seed(server)}`;
    }
    console.log(`Lighthouse on ${url} (mobile, simulated slow 4G and 4x CPU), ${RUNS} runs`);
    mkdirSync(REPORTS, { recursive: true });
    chrome = await launch({
      chromePath: CHROME_PATH,
      chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    const results: RunResult[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const answer = await lighthouse(url, {
        port: chrome.port,
        output: 'html',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility'],
      });
      if (!answer) throw new Error('Lighthouse gave no result');
      writeFileSync(join(REPORTS, `event-page-${run}.html`), String(answer.report));
      const result = summarize(answer.lhr as unknown as LighthouseResult);
      results.push(result);
      console.log(
        `  run ${run}: performance ${result.performance}, accessibility ${result.accessibility}, ` +
          `CLS ${result.cls.toFixed(3)}, LCP ${Math.round(result.lcpMs)} ms, TBT ${Math.round(result.tbtMs)} ms, ` +
          `FCP ${Math.round(result.fcpMs)} ms, SI ${Math.round(result.speedIndexMs)} ms, ` +
          `${result.transferKb.toFixed(1)} KB transferred`,
      );
    }
    const last = results[results.length - 1]!;
    console.log(`  LCP element: ${last.lcpElement}`);
    console.log(`  requests (last run):\n    ${last.requests.join('\n    ')}`);
    if (last.accessibilityFailures.length > 0)
      console.log(`  accessibility failures:\n    ${last.accessibilityFailures.join('\n    ')}`);

    const performance = median(results.map((r) => r.performance));
    const accessibilityScore = Math.min(...results.map((r) => r.accessibility));
    console.log(
      `  median: performance ${performance}, CLS ${median(results.map((r) => r.cls)).toFixed(3)}, ` +
        `LCP ${Math.round(median(results.map((r) => r.lcpMs)))} ms, TBT ${Math.round(median(results.map((r) => r.tbtMs)))} ms`,
    );
    console.log(
      `  performance ${performance} (target >= ${TARGET.performance}): ${performance >= TARGET.performance ? 'PASS' : 'MISS'}`,
    );
    console.log(
      `  accessibility ${accessibilityScore} (target ${TARGET.accessibility}): ${accessibilityScore >= TARGET.accessibility ? 'PASS' : 'MISS'}`,
    );
    console.log(`  reports: ${REPORTS}`);
  } finally {
    chrome?.kill();
    await server?.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
