/**
 * Status and severity badges.
 *
 * @module
 */
import { Badge } from "@mantine/core";
import { normalizeSeverity, severityColor } from "../model/severity.ts";
import type { Status } from "../model/types.ts";

/** OK / ERROR / UNSET badge of a trace or span. */
export function StatusBadge({ status }: { status: Status }) {
  const color = status === "ERROR" ? "red" : status === "OK" ? "teal" : "gray";
  return <Badge color={color} variant="light" size="sm">{status}</Badge>;
}

/** A log severity badge in the severity's colour. */
export function SeverityBadge({ severity, number = 0 }: { severity: string; number?: number }) {
  return (
    <Badge color={severityColor(severity, number)} variant="light" size="sm" w={64} title={severity}>
      {normalizeSeverity(severity, number)}
    </Badge>
  );
}
