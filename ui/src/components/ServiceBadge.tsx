/**
 * A service name with its colour dot; the colour is the same on every page.
 *
 * @module
 */
import { Group, Text } from "@mantine/core";
import { serviceColor } from "../model/color.ts";

/** A coloured dot for a service. */
export function ServiceDot({ name, size = 10 }: { name: string; size?: number }) {
  return (
    <span
      aria-hidden
      style={{
        display: "inline-block",
        flex: "none",
        width: size,
        height: size,
        borderRadius: "50%",
        background: serviceColor(name),
      }}
    />
  );
}

/** Dot and name. */
export function ServiceBadge({ name, size = "sm" }: { name: string; size?: "xs" | "sm" | "md" }) {
  return (
    <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
      <ServiceDot name={name} />
      <Text size={size} truncate="end" title={name}>{name || "unknown_service"}</Text>
    </Group>
  );
}
