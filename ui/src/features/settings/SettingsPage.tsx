/**
 * Settings: live server health, the dead-letter queue, purge and vacuum.
 *
 * @module
 */
import { Badge, Group, SimpleGrid, Stack, Title } from "@mantine/core";
import { QueryError } from "../../components/QueryError.tsx";
import { HealthPanel } from "./HealthPanel.tsx";
import { DlqPanel, MaintenancePanel } from "./Maintenance.tsx";
import { useHealthStream } from "./use_health_stream.ts";

/** The settings page. */
export default function SettingsPage() {
  const { health, status, error } = useHealthStream();
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Settings</Title>
        <Badge
          variant="dot"
          color={status === "open" ? "teal" : status === "connecting" ? "yellow" : "red"}
          data-testid="health-stream"
        >
          {status === "open" ? "live health" : status === "connecting" ? "connecting" : "reconnecting"}
        </Badge>
      </Group>
      <QueryError error={error} title="Could not read the server's health" />
      <HealthPanel health={health} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <DlqPanel />
        <MaintenancePanel />
      </SimpleGrid>
    </Stack>
  );
}
