/**
 * The logs of a trace, in time order, each able to select its span.
 *
 * @module
 */
import { Anchor, Card, Group, Stack, Text } from "@mantine/core";
import { Link } from "../../components/Link.tsx";
import { ServiceBadge } from "../../components/ServiceBadge.tsx";
import { SeverityBadge } from "../../components/StatusBadge.tsx";
import { formatDurationUs } from "../../model/format.ts";
import type { LogEntry } from "../../model/types.ts";
import { withQuery } from "../../model/url_state.ts";

const MAX_SHOWN = 500;

/** Props of {@link LogLines}. */
export interface LogLinesProps {
  logs: LogEntry[];
  traceStartUs: number;
  empty: string;
  onSelectSpan?: (spanId: string) => void;
}

/** Compact log lines with the time relative to the trace start. */
export function LogLines({ logs, traceStartUs, empty, onSelectSpan }: LogLinesProps) {
  if (logs.length === 0) return <Text size="sm" c="dimmed">{empty}</Text>;
  const sorted = [...logs].sort((a, b) => a.timestampUs - b.timestampUs).slice(0, MAX_SHOWN);
  return (
    <Stack gap={2}>
      {sorted.map((log) => (
        <Group
          key={log.id}
          gap="xs"
          wrap="nowrap"
          align="flex-start"
          data-testid="trace-log-row"
          className={onSelectSpan && log.spanId ? "argus-row" : undefined}
          onClick={onSelectSpan && log.spanId ? () => onSelectSpan(log.spanId) : undefined}
          py={2}
        >
          <SeverityBadge severity={log.severity} number={log.severityNumber} />
          <Text size="xs" c="dimmed" w={70} ta="right" style={{ flex: "none" }}>
            +{formatDurationUs(log.timestampUs - traceStartUs)}
          </Text>
          <div style={{ width: 130, flex: "none" }}>
            <ServiceBadge name={log.serviceName} size="xs" />
          </div>
          <Text size="sm" style={{ whiteSpace: "pre-wrap", wordBreak: "break-word", flex: 1 }}>
            {log.body}
          </Text>
        </Group>
      ))}
      {logs.length > MAX_SHOWN && (
        <Text size="xs" c="dimmed">{logs.length - MAX_SHOWN} more logs are on the logs page.</Text>
      )}
    </Stack>
  );
}

/** The trace's logs as a card, with a link to the logs page filtered by the trace. */
export function TraceLogs({ traceId, logs, traceStartUs, onSelectSpan }: {
  traceId: string;
  logs: LogEntry[];
  traceStartUs: number;
  onSelectSpan: (spanId: string) => void;
}) {
  return (
    <Card withBorder padding="sm" data-testid="trace-logs">
      <Group justify="space-between" mb="xs">
        <Text fw={600} size="sm">Logs of this trace ({logs.length})</Text>
        <Anchor
          component={Link}
          href={withQuery("/logs", new URLSearchParams({ trace_id: traceId, range: "7d" }))}
          size="xs"
        >
          Open in logs
        </Anchor>
      </Group>
      <LogLines
        logs={logs}
        traceStartUs={traceStartUs}
        empty="No logs carry this trace id."
        onSelectSpan={onSelectSpan}
      />
    </Card>
  );
}
