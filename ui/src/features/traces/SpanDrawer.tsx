/**
 * Details of one span: timing, ids, status, attributes, events, resource,
 * links and its logs. Opens beside the waterfall without covering it with an
 * overlay, so another row can be picked while it is open.
 *
 * @module
 */
import { Alert, Badge, Drawer, Group, SimpleGrid, Stack, Tabs, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { AttributesTable } from "../../components/AttributesTable.tsx";
import { CopyId } from "../../components/CopyId.tsx";
import { DETAILS_DRAWER_PROPS } from "../../components/details_drawer.ts";
import { Link } from "../../components/Link.tsx";
import { ServiceBadge } from "../../components/ServiceBadge.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { TimeText } from "../../components/TimeText.tsx";
import { formatDurationUs } from "../../model/format.ts";
import { tracePath } from "../../model/routes.ts";
import type { LogEntry, Span } from "../../model/types.ts";
import { LogLines } from "./TraceLogs.tsx";

/** Props of {@link SpanDrawer}. */
export interface SpanDrawerProps {
  span: Span | null;
  traceStartUs: number;
  logs: LogEntry[];
  onClose: () => void;
  onSelectSpan: (spanId: string) => void;
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={600}>{label}</Text>
      <div style={{ fontSize: "var(--mantine-font-size-sm)" }}>{children}</div>
    </Stack>
  );
}

/** The span details drawer. */
export function SpanDrawer({ span, traceStartUs, logs, onClose, onSelectSpan }: SpanDrawerProps) {
  const spanLogs = span ? logs.filter((l) => l.spanId === span.spanId) : [];
  return (
    <Drawer
      opened={span !== null}
      onClose={onClose}
      {...DETAILS_DRAWER_PROPS}
      title={span && (
        <Title order={4} style={{ wordBreak: "break-word" }} data-testid="span-title">
          {span.name || "(unnamed span)"}
        </Title>
      )}
      data-testid="span-drawer"
    >
      {span && (
        <Stack gap="md">
          <Group gap="xs">
            <ServiceBadge name={span.serviceName} />
            <Badge variant="outline" size="sm">{span.kind}</Badge>
            <StatusBadge status={span.status} />
          </Group>
          {span.statusMessage && (
            <Alert color="red" variant="light" p="xs" title="Status message">
              <Text size="sm" style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>
                {span.statusMessage}
              </Text>
            </Alert>
          )}
          <SimpleGrid cols={2} spacing="sm" verticalSpacing="sm">
            <Field label="Duration">{formatDurationUs(span.durationUs)}</Field>
            <Field label="Starts after">{formatDurationUs(span.startUs - traceStartUs)}</Field>
            <Field label="Start time">
              <TimeText us={span.startUs} />
            </Field>
            <Field label="Scope">
              {span.scopeName ? `${span.scopeName}${span.scopeVersion ? ` ${span.scopeVersion}` : ""}` : "–"}
            </Field>
            <Field label="Span id">
              <CopyId value={span.spanId} label="span id" data-testid="copy-span-id" />
            </Field>
            <Field label="Parent span id">
              {span.parentSpanId
                ? (
                  <Text
                    component="button"
                    type="button"
                    size="sm"
                    c="indigo"
                    ff="monospace"
                    style={{ background: "none", border: 0, padding: 0, cursor: "pointer" }}
                    onClick={() => onSelectSpan(span.parentSpanId)}
                  >
                    {span.parentSpanId}
                  </Text>
                )
                : <Text size="sm" c="dimmed">root span</Text>}
            </Field>
          </SimpleGrid>
          <Tabs defaultValue="attributes" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="attributes">Attributes ({span.attributes.length})</Tabs.Tab>
              <Tabs.Tab value="events">Events ({span.events.length})</Tabs.Tab>
              <Tabs.Tab value="resource">Resource ({span.resource.length})</Tabs.Tab>
              {span.links.length > 0 && <Tabs.Tab value="links">Links ({span.links.length})</Tabs.Tab>}
              <Tabs.Tab value="logs">Logs ({spanLogs.length})</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="attributes" pt="sm">
              <AttributesTable rows={span.attributes} data-testid="span-attributes" />
            </Tabs.Panel>
            <Tabs.Panel value="events" pt="sm">
              <Stack gap="sm" data-testid="span-events">
                {span.events.length === 0 && <Text size="sm" c="dimmed">No events</Text>}
                {span.events.map((ev, i) => (
                  <Stack key={i} gap={4}>
                    <Group gap="xs">
                      <Text size="sm" fw={600} c={ev.name === "exception" ? "red" : undefined}>
                        {ev.name}
                      </Text>
                      {ev.timeUs !== null && (
                        <Text size="xs" c="dimmed">+{formatDurationUs(ev.timeUs - span.startUs)}</Text>
                      )}
                    </Group>
                    {ev.attributes.length > 0 && <AttributesTable rows={ev.attributes} withFilter={false} />}
                  </Stack>
                ))}
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="resource" pt="sm">
              <AttributesTable rows={span.resource} data-testid="span-resource" />
            </Tabs.Panel>
            <Tabs.Panel value="links" pt="sm">
              <Stack gap="sm">
                {span.links.map((l, i) => (
                  <Stack key={i} gap={4}>
                    <Link href={tracePath(l.traceId)}>
                      <Text size="sm" ff="monospace">{l.traceId} / {l.spanId}</Text>
                    </Link>
                    {l.attributes.length > 0 && <AttributesTable rows={l.attributes} withFilter={false} />}
                  </Stack>
                ))}
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="logs" pt="sm">
              <LogLines
                logs={spanLogs}
                traceStartUs={traceStartUs}
                empty="No logs were recorded for this span."
              />
            </Tabs.Panel>
          </Tabs>
        </Stack>
      )}
    </Drawer>
  );
}
