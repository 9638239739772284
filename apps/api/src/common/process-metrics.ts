import { collectDefaultMetrics, register } from 'prom-client';

/** Node's process metrics belong to the process, which may host more than one app (tests restart it in place). */
export function collectProcessMetricsOnce(): void {
  if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();
}
