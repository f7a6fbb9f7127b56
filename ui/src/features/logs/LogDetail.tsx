/**
 * One log in a drawer: body, metadata, jump to its trace, attributes,
 * resource, AI insight and context.
 *
 * @module
 */
import { Button, Drawer, Group, SimpleGrid, Stack, Tabs, Text } from "@mantine/core";
import { Waypoints } from "lucide-react";
import type { ReactNode } from "react";
import { AttributesTable } from "../../components/AttributesTable.tsx";
import { CopyId } from "../../components/CopyId.tsx";
import { DETAILS_DRAWER_PROPS } from "../../components/details_drawer.ts";
import { Link } from "../../components/Link.tsx";
import { ServiceBadge } from "../../components/ServiceBadge.tsx";
import { SeverityBadge } from "../../components/StatusBadge.tsx";
import { TimeText } from "../../components/TimeText.tsx";
import { tracePath } from "../../model/routes.ts";
import type { LogEntry } from "../../model/types.ts";
import { InsightPanel } from "./InsightPanel.tsx";
import { LogContext } from "./LogContext.tsx";

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={600}>{label}</Text>
      <div style={{ fontSize: "var(--mantine-font-size-sm)" }}>{children}</div>
    </Stack>
  );
}

/** Props of {@link LogDetail}. */
export interface LogDetailProps {
  log: LogEntry | null;
  onClose: () => void;
  onSelect: (log: LogEntry) => void;
}

/** The log details drawer. */
export function LogDetail({ log, onClose, onSelect }: LogDetailProps) {
  const traceHref = log?.traceId
    ? tracePath(log.traceId) + (log.spanId ? `?span=${encodeURIComponent(log.spanId)}` : "")
    : null;
  return (
    <Drawer
      opened={log !== null}
      onClose={onClose}
      {...DETAILS_DRAWER_PROPS}
      title={log && (
        <Group gap="xs">
          <SeverityBadge severity={log.severity} number={log.severityNumber} />
          <ServiceBadge name={log.serviceName} />
        </Group>
      )}
      data-testid="log-drawer"
    >
      {log && (
        <Stack gap="md">
          <Text
            size="sm"
            ff="monospace"
            p="sm"
            bg="var(--mantine-color-default-hover)"
            style={{
              whiteSpace: "pre-wrap",
              wordBreak: "break-word",
              borderRadius: "var(--mantine-radius-md)",
            }}
            data-testid="log-detail-body"
          >
            {log.body || "(empty body)"}
          </Text>
          <SimpleGrid cols={2} spacing="sm">
            <Field label="Time">
              <TimeText us={log.timestampUs} />
            </Field>
            <Field label="Severity">{log.severity || "–"} ({log.severityNumber})</Field>
            <Field label="Trace id">
              {log.traceId
                ? <CopyId value={log.traceId} label="trace id" />
                : <Text size="sm" c="dimmed">none</Text>}
            </Field>
            <Field label="Span id">
              {log.spanId
                ? <CopyId value={log.spanId} label="span id" />
                : <Text size="sm" c="dimmed">none</Text>}
            </Field>
          </SimpleGrid>
          {traceHref && (
            <Button
              component={Link}
              href={traceHref}
              variant="light"
              leftSection={<Waypoints size={14} />}
              data-testid="jump-to-trace"
              style={{ alignSelf: "flex-start" }}
            >
              Jump to trace
            </Button>
          )}
          <InsightPanel log={log} />
          <LogContext log={log} onSelect={onSelect} />
          <Tabs defaultValue="attributes" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="attributes">Attributes ({log.attributes.length})</Tabs.Tab>
              <Tabs.Tab value="resource">Resource ({log.resource.length})</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="attributes" pt="sm">
              <AttributesTable rows={log.attributes} data-testid="log-attributes" />
            </Tabs.Panel>
            <Tabs.Panel value="resource" pt="sm">
              <AttributesTable rows={log.resource} data-testid="log-resource" />
            </Tabs.Panel>
          </Tabs>
        </Stack>
      )}
    </Drawer>
  );
}
