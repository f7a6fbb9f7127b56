/**
 * The logs within ±1 minute of one log, with that log marked.
 *
 * @module
 */
import { Button, Card, Group, Loader, ScrollArea, Stack, Switch, Text } from "@mantine/core";
import { useState } from "react";
import { useLogContextQuery } from "../../api/hooks.ts";
import { SeverityBadge } from "../../components/StatusBadge.tsx";
import { ServiceDot } from "../../components/ServiceBadge.tsx";
import { formatDurationUs } from "../../model/format.ts";
import type { LogEntry } from "../../model/types.ts";

/** Context of a log, loaded on request. */
export function LogContext({ log, onSelect }: { log: LogEntry; onSelect: (log: LogEntry) => void }) {
  const [shown, setShown] = useState(false);
  const [sameService, setSameService] = useState(true);
  const query = useLogContextQuery(shown ? log.timestampUs : null, sameService ? log.serviceName : "");
  const rows = query.data ? [...query.data].sort((a, b) => a.timestampUs - b.timestampUs) : [];

  return (
    <Card withBorder padding="sm" data-testid="log-context">
      <Group justify="space-between" mb={shown ? "xs" : 0}>
        <Text fw={600} size="sm">Context (±1 minute)</Text>
        <Group gap="sm">
          {shown && (
            <Switch
              size="xs"
              label="Same service"
              checked={sameService}
              onChange={(e) => setSameService(e.currentTarget.checked)}
            />
          )}
          <Button
            size="xs"
            variant="light"
            onClick={() => setShown((s) => !s)}
            data-testid="log-context-toggle"
          >
            {shown ? "Hide" : "Show context"}
          </Button>
        </Group>
      </Group>
      {shown && (query.isPending ? <Loader size="xs" /> : (
        <ScrollArea.Autosize mah={320}>
          <Stack gap={0}>
            {rows.length === 0 && <Text size="sm" c="dimmed">No other logs around this time.</Text>}
            {rows.map((l) => {
              const current = l.id === log.id;
              return (
                <Group
                  key={l.id}
                  gap={8}
                  wrap="nowrap"
                  className="argus-row"
                  data-selected={current || undefined}
                  data-testid="context-row"
                  onClick={() => onSelect(l)}
                  py={2}
                  px={4}
                >
                  <Text size="xs" c="dimmed" w={64} ta="right" style={{ flex: "none" }}>
                    {current
                      ? "this"
                      : `${l.timestampUs < log.timestampUs ? "−" : "+"}${
                        formatDurationUs(Math.abs(l.timestampUs - log.timestampUs))
                      }`}
                  </Text>
                  <SeverityBadge severity={l.severity} number={l.severityNumber} />
                  <ServiceDot name={l.serviceName} size={8} />
                  <Text size="xs" truncate="end" fw={current ? 700 : undefined} title={l.body}>{l.body}</Text>
                </Group>
              );
            })}
          </Stack>
        </ScrollArea.Autosize>
      ))}
    </Card>
  );
}
