/**
 * The first screen without data: how to point OpenTelemetry SDKs at this server.
 *
 * @module
 */
import { Card, Code, List, Stack, Text, Title } from "@mantine/core";
import { Radio } from "lucide-react";
import { otlpEndpoints } from "../model/endpoints.ts";

/** Explains how to send telemetry, with this server's address filled in. */
export function SendDataHint({ title = "No telemetry yet" }: { title?: string }) {
  const { grpc, http } = otlpEndpoints(globalThis.location?.hostname ?? "");
  return (
    <Card withBorder padding="lg" data-testid="send-data-hint">
      <Stack gap="sm">
        <Title order={3} style={{ display: "flex", alignItems: "center", gap: 8 }}>
          <Radio size={22} /> {title}
        </Title>
        <Text>
          Argus receives OpenTelemetry traces and logs over OTLP. Point your services’ SDK or Collector at
          this server:
        </Text>
        <List spacing="xs">
          <List.Item>
            gRPC: <Code data-testid="otlp-grpc">OTEL_EXPORTER_OTLP_ENDPOINT={grpc}</Code>
          </List.Item>
          <List.Item>
            HTTP: <Code data-testid="otlp-http">OTEL_EXPORTER_OTLP_ENDPOINT={http}</Code> with{" "}
            <Code>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</Code>
          </List.Item>
          <List.Item>
            Name each service with <Code>OTEL_SERVICE_NAME=checkout</Code>.
          </List.Item>
        </List>
        <Text size="sm" c="dimmed">
          To try it out, <Code>deno task simulate</Code> sends traces and logs from seven demo services.
        </Text>
      </Stack>
    </Card>
  );
}
