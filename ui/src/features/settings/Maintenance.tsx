/**
 * Dead-letter queue and database maintenance. Purge and vacuum ask for
 * confirmation first. Both need an admin key when the server requires keys;
 * a read-only session sees why instead of a refused request.
 *
 * @module
 */
import { Button, Card, Group, Modal, NumberInput, Stack, Table, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Database, RotateCcw, Trash2 } from "lucide-react";
import { useState } from "react";
import { useDlqQuery, usePurge, useReplayDlq, useVacuum } from "../../api/hooks.ts";
import { useSession } from "../../api/session.ts";
import { formatAge, formatBytes } from "../../model/format.ts";
import { canAdminister } from "../../model/session.ts";

/** Says that a panel needs an admin key. */
function NeedsAdmin({ role }: { role: string | null | undefined }) {
  return (
    <Text size="sm" c="dimmed" data-testid="needs-admin">
      Needs an admin key: this session{role ? ` (${role})` : ""} can view data but not manage the server.
    </Text>
  );
}

/** The DLQ files with a replay button. */
export function DlqPanel() {
  const session = useSession();
  const admin = canAdminister(session);
  const dlq = useDlqQuery({ enabled: admin });
  const replay = useReplayDlq();
  const files = dlq.data;
  if (!admin) {
    return (
      <Card withBorder padding="sm" data-testid="dlq-panel">
        <Text fw={600} size="sm" mb="xs">Dead-letter queue</Text>
        <NeedsAdmin role={session?.role} />
      </Card>
    );
  }
  return (
    <Card withBorder padding="sm" data-testid="dlq-panel">
      <Group justify="space-between" mb="xs">
        <Text fw={600} size="sm">Dead-letter queue ({files?.length ?? "…"})</Text>
        <Button
          size="xs"
          variant="light"
          leftSection={<RotateCcw size={14} />}
          loading={replay.isPending}
          disabled={!files || files.length === 0}
          onClick={() =>
            replay.mutate(undefined, {
              onSuccess: () =>
                notifications.show({
                  color: "teal",
                  title: "Replay started",
                  message: "The DLQ is being replayed.",
                }),
            })}
          data-testid="dlq-replay"
        >
          Replay now
        </Button>
      </Group>
      {files && files.length === 0
        ? <Text size="sm" c="dimmed">Empty: every batch reached the database.</Text>
        : (
          <Table.ScrollContainer minWidth={520} maxHeight={300}>
            <Table fz="sm" striped stickyHeader>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>File</Table.Th>
                  <Table.Th ta="right">Size</Table.Th>
                  <Table.Th ta="right">Age</Table.Th>
                  <Table.Th ta="right">Attempts</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(files ?? []).map((f) => (
                  <Table.Tr key={f.name} data-testid="dlq-row">
                    <Table.Td className="argus-mono" style={{ wordBreak: "break-all" }}>{f.name}</Table.Td>
                    <Table.Td ta="right">{formatBytes(f.sizeBytes)}</Table.Td>
                    <Table.Td ta="right">{formatAge(f.ageS)}</Table.Td>
                    <Table.Td ta="right" c={f.attempts > 0 ? "orange" : undefined}>{f.attempts}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
    </Card>
  );
}

type Pending = { kind: "purge"; days: number } | { kind: "vacuum" } | null;

/** Purge and vacuum, each behind a confirmation dialog. */
export function MaintenancePanel() {
  const session = useSession();
  const [days, setDays] = useState<number | string>(7);
  const [pending, setPending] = useState<Pending>(null);
  const purge = usePurge();
  const vacuum = useVacuum();
  if (!canAdminister(session)) {
    return (
      <Card withBorder padding="sm" data-testid="maintenance-panel">
        <Text fw={600} size="sm" mb="xs">Maintenance</Text>
        <NeedsAdmin role={session?.role} />
      </Card>
    );
  }
  const validDays = typeof days === "number" && Number.isInteger(days) && days >= 0;

  const confirm = () => {
    if (!pending) return;
    if (pending.kind === "purge") {
      purge.mutate(pending.days, {
        onSuccess: (r) =>
          notifications.show({
            color: "teal",
            title: "Purged",
            message: `${r?.traces_deleted ?? 0} traces, ${r?.spans_deleted ?? 0} spans and ${
              r?.logs_deleted ?? 0
            } logs deleted.`,
          }),
        onSettled: () => setPending(null),
      });
    } else {
      vacuum.mutate(undefined, {
        onSuccess: (r) =>
          notifications.show({ color: "teal", title: "Vacuum", message: r?.status ?? "done" }),
        onSettled: () => setPending(null),
      });
    }
  };

  return (
    <Card withBorder padding="sm" data-testid="maintenance-panel">
      <Text fw={600} size="sm" mb="xs">Maintenance</Text>
      <Stack gap="md">
        <Group align="flex-end" gap="sm">
          <NumberInput
            size="xs"
            label="Delete data older than (days)"
            min={0}
            step={1}
            allowDecimal={false}
            value={days}
            onChange={setDays}
            w={200}
            data-testid="purge-days"
          />
          <Button
            size="xs"
            color="red"
            variant="light"
            leftSection={<Trash2 size={14} />}
            disabled={!validDays}
            onClick={() => validDays && setPending({ kind: "purge", days: days as number })}
            data-testid="purge-button"
          >
            Purge…
          </Button>
        </Group>
        <Group gap="sm">
          <Button
            size="xs"
            variant="default"
            leftSection={<Database size={14} />}
            onClick={() => setPending({ kind: "vacuum" })}
            data-testid="vacuum-button"
          >
            Vacuum database…
          </Button>
          <Text size="xs" c="dimmed">
            Reclaims disk space after a purge (SQLite); may pause writes briefly.
          </Text>
        </Group>
      </Stack>
      <Modal
        opened={pending !== null}
        onClose={() => setPending(null)}
        title={pending?.kind === "purge" ? "Purge old data?" : "Vacuum the database?"}
        centered
        data-testid="confirm-modal"
      >
        <Stack>
          <Text size="sm">
            {pending?.kind === "purge"
              ? `All traces, spans and logs older than ${pending.days} day${
                pending.days === 1 ? "" : "s"
              } will be deleted. This cannot be undone.`
              : "The database file is rewritten to reclaim space. Ingestion may stall while it runs."}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setPending(null)} data-testid="confirm-cancel">
              Cancel
            </Button>
            <Button
              color={pending?.kind === "purge" ? "red" : "indigo"}
              loading={purge.isPending || vacuum.isPending}
              onClick={confirm}
              data-testid="confirm-button"
            >
              {pending?.kind === "purge" ? "Delete" : "Vacuum"}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
