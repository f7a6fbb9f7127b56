/**
 * A time in the browser's zone, with the UTC offset and UTC time on hover.
 *
 * @module
 */
import { Text, type TextProps } from "@mantine/core";
import { formatLocalTime, timeTitle } from "../model/format.ts";

/** Props of {@link TimeText}: give `us` (microseconds) or `ms`. */
export interface TimeTextProps extends TextProps {
  us?: number;
  ms?: number;
  /** Show milliseconds (default true). */
  withMs?: boolean;
}

/** Renders a local time as text; the title shows the offset and UTC. */
export function TimeText({ us, ms, withMs = true, ...rest }: TimeTextProps) {
  const t = ms ?? (us ?? NaN) / 1000;
  return (
    <Text component="span" inherit title={timeTitle(t)} style={{ whiteSpace: "nowrap" }} {...rest}>
      {formatLocalTime(t, withMs)}
    </Text>
  );
}
