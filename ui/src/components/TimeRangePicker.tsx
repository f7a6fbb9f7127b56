/**
 * The header's global time range: presets and a custom absolute range.
 *
 * @module
 */
import { Button, Divider, Group, Popover, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { CalendarClock } from "lucide-react";
import { useState } from "react";
import { formatLocalTime } from "../model/format.ts";
import {
  parseTimeInput,
  PRESETS,
  relativeLabel,
  resolveRange,
  type TimeRange,
  toDatetimeLocal,
} from "../model/time_range.ts";

/** Props of {@link TimeRangePicker}. */
export interface TimeRangePickerProps {
  value: TimeRange;
  onChange: (range: TimeRange) => void;
  /** Live mode fixes the window; the picker shows it and is disabled. */
  live?: boolean;
}

function label(range: TimeRange): string {
  if (range.kind === "relative") return relativeLabel(range.duration);
  return `${formatLocalTime(range.startMs, false)} → ${formatLocalTime(range.endMs, false)}`;
}

/** A button opening presets and From/To inputs. */
export function TimeRangePicker({ value, onChange, live }: TimeRangePickerProps) {
  const [opened, { close, toggle }] = useDisclosure(false);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [error, setError] = useState("");

  const open = () => {
    const { startMs, endMs } = resolveRange(value, Date.now());
    setFrom(toDatetimeLocal(startMs));
    setTo(toDatetimeLocal(endMs));
    setError("");
    toggle();
  };

  const apply = () => {
    const startMs = parseTimeInput(from);
    const endMs = parseTimeInput(to);
    if (startMs === null || endMs === null) {
      setError("Enter both times as YYYY-MM-DD HH:MM[:SS], RFC 3339 or Unix milliseconds");
      return;
    }
    if (startMs >= endMs) {
      setError("The start must be before the end");
      return;
    }
    onChange({ kind: "absolute", startMs, endMs });
    close();
  };

  return (
    <Popover
      opened={opened}
      onChange={(o) => !o && close()}
      position="bottom-end"
      shadow="md"
      width={340}
    >
      <Popover.Target>
        <Button
          variant="default"
          size="xs"
          leftSection={<CalendarClock size={14} />}
          onClick={open}
          disabled={live}
          data-testid="time-range"
          title={live ? "Live mode shows the last 15 minutes" : "Time range"}
        >
          {live ? "Last 15 minutes (live)" : label(value)}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="sm">
          <Text size="xs" fw={600} c="dimmed">Relative</Text>
          <SimpleGrid cols={3} spacing={6}>
            {PRESETS.map((p) => (
              <Button
                key={p}
                size="xs"
                variant={value.kind === "relative" && value.duration === p ? "filled" : "light"}
                onClick={() => {
                  onChange({ kind: "relative", duration: p });
                  close();
                }}
                data-testid={`range-preset-${p}`}
              >
                {p}
              </Button>
            ))}
          </SimpleGrid>
          <Divider label="Absolute" labelPosition="left" />
          <TextInput
            size="xs"
            type="datetime-local"
            step={1}
            label="From"
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
            data-testid="range-from"
          />
          <TextInput
            size="xs"
            type="datetime-local"
            step={1}
            label="To"
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            error={error || undefined}
            data-testid="range-to"
          />
          <Group justify="flex-end">
            <Button size="xs" variant="default" onClick={close}>Cancel</Button>
            <Button size="xs" onClick={apply} data-testid="range-apply">Apply</Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
