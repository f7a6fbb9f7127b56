/**
 * The AI insight of a log: shows the analysis, its progress, or how to get one.
 * The model's answer is shown as plain text, never as HTML or Markdown.
 *
 * @module
 */
import { Alert, Button, Card, Code, Group, Loader, Stack, Text } from "@mantine/core";
import { Sparkles } from "lucide-react";
import { useHealthQuery, useLogInsightQuery, useRequestInsight } from "../../api/hooks.ts";
import type { LogEntry } from "../../model/types.ts";

/** AI insight for one log. */
export function InsightPanel({ log }: { log: LogEntry }) {
  const query = useLogInsightQuery(log.id);
  const request = useRequestInsight();
  const health = useHealthQuery();
  const insight = query.data ?? { insight: log.aiInsight, status: log.aiStatus };
  const aiOff = health.data ? !health.data.ai.enabled : insight.status === "skipped";

  return (
    <Card withBorder padding="sm" data-testid="insight-panel" data-status={insight.status}>
      <Group justify="space-between" mb="xs">
        <Group gap={6}>
          <Sparkles size={16} />
          <Text fw={600} size="sm">AI insight</Text>
        </Group>
        {insight.status !== "pending" && (
          <Button
            size="xs"
            variant="light"
            leftSection={<Sparkles size={14} />}
            loading={request.isPending}
            onClick={() => request.mutate(log.id)}
            data-testid="insight-request"
          >
            {insight.status === "done" ? "Analyse again" : "Explain this log"}
          </Button>
        )}
      </Group>
      {insight.status === "pending"
        ? (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm" c="dimmed">Analysing… the answer appears here when it is ready.</Text>
          </Group>
        )
        : insight.insight
        ? (
          <Text
            size="sm"
            style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}
            data-testid="insight-text"
          >
            {insight.insight}
          </Text>
        )
        : insight.status === "failed"
        ? <Text size="sm" c="red">The analysis failed. Try again, or check the server log.</Text>
        : aiOff
        ? (
          <Alert variant="light" color="gray" p="xs" data-testid="insight-off">
            <Stack gap={4}>
              <Text size="sm">AI analysis is off on this server. To turn it on, set</Text>
              <Code block>
                {"AI_ENABLED=true\n" +
                  "# Azure OpenAI\nAZURE_OPENAI_ENDPOINT=…  AZURE_OPENAI_KEY=…  AZURE_OPENAI_DEPLOYMENT=…\n" +
                  "# or any OpenAI-compatible endpoint (vLLM, Ollama, LocalAI)\nAI_BASE_URL=…  AI_MODEL=…"}
              </Code>
              <Text size="xs" c="dimmed">ERROR and FATAL logs are then explained automatically.</Text>
            </Stack>
          </Alert>
        )
        : (
          <Text size="sm" c="dimmed">
            No analysis yet. ERROR and FATAL logs are analysed automatically; others on request.
          </Text>
        )}
    </Card>
  );
}
