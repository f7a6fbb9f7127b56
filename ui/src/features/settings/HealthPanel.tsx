/**
 * Server health: status, ingestion, database and AI figures, updated live.
 *
 * @module
 */
import { Alert, Badge, Card, Code, Group, SimpleGrid, Skeleton, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { formatAge, formatCount, formatDurationMs } from "../../model/format.ts";
import type { Health } from "../../model/types.ts";

function Figure({ label, value, testId }: { label: string; value: ReactNode; testId: string }) {
  return (
    <Card withBorder padding="sm" data-testid="health-card" data-figure={testId}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">{label}</Text>
      <Text fz={20} fw={700} data-testid={`health-${testId}`}>{value}</Text>
    </Card>
  );
}

function uptime(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : formatAge(seconds);
}

/** Health figures; skeletons until the first answer. */
export function HealthPanel({ health }: { health: Health | undefined }) {
  if (!health) {
    return (
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        {Array.from({ length: 8 }, (_, i) => <Skeleton key={i} h={70} />)}
      </SimpleGrid>
    );
  }
  const ok = health.status === "ok" || health.status === "healthy";
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Badge color={ok ? "teal" : "red"} size="lg" variant="light" data-testid="health-status">
          {health.status}
        </Badge>
        <Text size="sm" c="dimmed">Argus {health.version || "(unknown version)"}</Text>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <Figure label="Uptime" value={uptime(health.uptimeS)} testId="uptime" />
        <Figure label="Ingestion" value={`${formatCount(health.ingestionRate)}/s`} testId="ingestion" />
        <Figure
          label="WebSocket clients"
          value={formatCount(health.activeConnections)}
          testId="connections"
        />
        <Figure label="DLQ files" value={formatCount(health.dlqSize)} testId="dlq-size" />
        <Figure
          label="Database"
          value={
            <Group gap={6}>
              <span>{health.db.driver || "?"}</span>
              <Badge color={health.db.ok ? "teal" : "red"} variant="light" data-testid="health-db-ok">
                {health.db.ok ? "up" : "down"}
              </Badge>
            </Group>
          }
          testId="db"
        />
        <Figure label="DB latency p99" value={formatDurationMs(health.dbLatencyP99Ms)} testId="db-latency" />
        <Figure
          label="AI analysis"
          value={
            <Badge
              color={health.ai.enabled ? "teal" : "gray"}
              variant="light"
              data-testid="health-ai-enabled"
            >
              {health.ai.enabled ? "on" : "off"}
            </Badge>
          }
          testId="ai"
        />
        <Figure
          label="AI queue / dropped"
          value={`${formatCount(health.ai.queueDepth)} / ${formatCount(health.ai.dropped)}`}
          testId="ai-queue"
        />
      </SimpleGrid>
      {!health.db.ok && (
        <Alert color="red" variant="light" title="The database is unreachable">
          Incoming data goes to the dead-letter queue and is replayed when the database is back.
        </Alert>
      )}
      {!health.ai.enabled && (
        <Alert color="gray" variant="light" title="AI log analysis is off" data-testid="ai-off-help">
          <Text size="sm" mb={4}>Set these variables (environment or .env) and restart Argus:</Text>
          <Code block>
            {"AI_ENABLED=true\n# Azure OpenAI\nAZURE_OPENAI_ENDPOINT=https://…  AZURE_OPENAI_KEY=…  " +
              "AZURE_OPENAI_DEPLOYMENT=…\n# or an OpenAI-compatible endpoint inside your network\n" +
              "AI_BASE_URL=http://llm.internal:8000/v1  AI_MODEL=…  AI_API_KEY=…"}
          </Code>
        </Alert>
      )}
    </Stack>
  );
}
