/**
 * The header's live switch with the age of the data on screen.
 *
 * @module
 */
import { Group, Switch, Text, Tooltip } from "@mantine/core";
import { useNow } from "../hooks/use_now.ts";
import { useLastDataUpdate } from "../hooks/use_last_update.ts";
import { useLive } from "../live/LiveProvider.tsx";
import { formatAge } from "../model/format.ts";

/** Live on/off, connection state, and "updated Ns ago". */
export function LiveToggle() {
  const live = useLive();
  const lastRest = useLastDataUpdate();
  const now = useNow(1000);
  const last = live.enabled ? live.lastSnapshotMs : lastRest;
  const color = !live.enabled
    ? "gray"
    : live.status === "open"
    ? "teal"
    : live.status === "connecting"
    ? "yellow"
    : "red";
  const state = !live.enabled
    ? "Live mode is off"
    : live.status === "open"
    ? "Connected"
    : live.status === "connecting"
    ? "Connecting…"
    : "Disconnected, retrying";
  return (
    <Group gap={8} wrap="nowrap">
      <Tooltip label={state} withArrow>
        <Switch
          size="sm"
          color="teal"
          label="Live"
          checked={live.enabled}
          onChange={(e) => live.setEnabled(e.currentTarget.checked)}
          data-testid="live-toggle"
          thumbIcon={
            <span
              style={{
                width: 6,
                height: 6,
                borderRadius: "50%",
                background: `var(--mantine-color-${color}-6)`,
              }}
            />
          }
        />
      </Tooltip>
      <Text size="xs" c="dimmed" miw={96} data-testid="live-updated" aria-live="off">
        {last === null
          ? (live.enabled ? "waiting for data" : "not updated yet")
          : `updated ${formatAge((now - last) / 1000)} ago`}
      </Text>
    </Group>
  );
}
