/** Reading CloudWatch dashboard bodies in tests. */
export interface DashboardBody {
  widgets: { properties: { title: string; metrics: unknown[][]; [key: string]: unknown } }[];
}

/** Namespace, metric name and dimensions of every metric a dashboard body draws, by widget title. */
export function metricsOf(body: DashboardBody) {
  return body.widgets.flatMap((w) =>
    w.properties.metrics.map((m) => {
      const [namespace, metricName, ...rest] = m.filter((part): part is string => typeof part === "string");
      const dimensions: Record<string, string> = Object.fromEntries(
        Array.from({ length: rest.length / 2 }, (_, i) => [rest[2 * i], rest[2 * i + 1]]),
      );
      return { widget: w.properties.title, namespace, metricName, dimensions };
    }),
  );
}
