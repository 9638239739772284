import { relative } from 'node:path';

/**
 * For suites that need a service the machine may not have (PostgreSQL, Redis): `.ci/run` passes its URL
 * in an environment variable when it could start one. Without it the suite is skipped, and says so: its
 * title carries the reason, so Jest lists the tests as skipped and the CI summary counts them.
 */
export function describeWhenSet(
  variable: string,
  service: string,
): { url: string | undefined; describe: (title: string, suite: () => void) => void } {
  const url = process.env[variable] || undefined;
  if (url) return { url, describe: (title, suite) => describe(title, suite) };
  const reason = `${service} not available: ${variable} unset`;
  // Jest prints nothing of a file whose tests are all skipped, not even its console: straight to stderr.
  process.stderr.write(
    `${reason}: ${relative(process.cwd(), expect.getState().testPath ?? '.')} is skipped (.ci/run starts ${service} when it can)\n`,
  );
  return { url, describe: (title, suite) => describe.skip(`[skipped: ${reason}] ${title}`, suite) };
}
