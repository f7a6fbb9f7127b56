/**
 * The newest ERROR and FATAL logs, each linking to its context.
 *
 * @module
 */
import { Anchor, Card, Group, Skeleton, Stack, Text } from "@mantine/core";
import { Link } from "../../components/Link.tsx";
import { ServiceBadge } from "../../components/ServiceBadge.tsx";
import { SeverityBadge } from "../../components/StatusBadge.tsx";
import { TimeText } from "../../components/TimeText.tsx";
import { tracePath } from "../../model/routes.ts";
import type { LogEntry } from "../../model/types.ts";
import { withQuery } from "../../model/url_state.ts";

/** Latest error logs. */
export function ErrorLogs({ logs, keep }: { logs: LogEntry[] | undefined; keep: URLSearchParams }) {
  const logsHref = (id?: string) => {
    const p = new URLSearchParams(keep);
    p.append("severity", "ERROR");
    p.append("severity", "FATAL");
    if (id) p.set("log", id);
    return withQuery("/logs", p);
  };
  return (
    <Card withBorder padding="sm">
      <Group justify="space-between" mb="xs">
        <Text fw={600} size="sm">Latest error logs</Text>
        <Anchor component={Link} href={logsHref()} size="xs">All error logs</Anchor>
      </Group>
      <Stack gap={4}>
        {!logs
          ? [0, 1, 2].map((i) => <Skeleton key={i} h={20} />)
          : logs.length === 0
          ? <Text size="sm" c="dimmed">No errors in this time range.</Text>
          : logs.map((log) => (
            <Group key={log.id} gap="xs" wrap="nowrap" data-testid="error-log-row">
              <SeverityBadge severity={log.severity} number={log.severityNumber} />
              <Text size="xs" c="dimmed">
                <TimeText us={log.timestampUs} withMs={false} />
              </Text>
              <div style={{ width: 120, flex: "none" }}>
                <ServiceBadge name={log.serviceName} size="xs" />
              </div>
              <Anchor
                component={Link}
                href={logsHref(log.id)}
                size="sm"
                c="inherit"
                style={{ flex: 1, minWidth: 0 }}
              >
                <Text size="sm" truncate="end" inherit title={log.body}>{log.body}</Text>
              </Anchor>
              {log.traceId && (
                <Anchor component={Link} href={tracePath(log.traceId)} size="xs" style={{ flex: "none" }}>
                  trace
                </Anchor>
              )}
            </Group>
          ))}
      </Stack>
    </Card>
  );
}
