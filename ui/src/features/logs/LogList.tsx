/**
 * A virtualised list of log lines: only visible rows are rendered. Reaching
 * the end asks for more; ↑/↓ move, Enter opens the log.
 *
 * @module
 */
import { Group, Loader, Text } from "@mantine/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { Waypoints } from "lucide-react";
import { type KeyboardEvent, memo, useEffect, useRef, useState } from "react";
import { ServiceDot } from "../../components/ServiceBadge.tsx";
import { SeverityBadge } from "../../components/StatusBadge.tsx";
import { formatLocalTime, timeTitle } from "../../model/format.ts";
import type { LogEntry } from "../../model/types.ts";

const ROW_HEIGHT = 30;

/** Props of {@link LogList}. */
export interface LogListProps {
  logs: LogEntry[];
  selectedId: string | null;
  onSelect: (log: LogEntry) => void;
  /** Called when the last rows come into view. */
  onEndReached?: () => void;
  loadingMore?: boolean;
  height: number;
}

const LogRow = memo(function LogRow(
  { log, top, selected, active, onSelect }: {
    log: LogEntry;
    top: number;
    selected: boolean;
    active: boolean;
    onSelect: (log: LogEntry) => void;
  },
) {
  const ms = log.timestampUs / 1000;
  return (
    <div
      id={`log-row-${log.id}`}
      role="option"
      aria-selected={selected}
      className="argus-row"
      data-testid="log-row"
      data-log-id={log.id}
      data-selected={selected || undefined}
      onClick={() => onSelect(log)}
      style={{
        position: "absolute",
        top: 0,
        left: 0,
        right: 0,
        height: ROW_HEIGHT,
        transform: `translateY(${top}px)`,
        display: "flex",
        alignItems: "center",
        gap: 10,
        padding: "0 8px",
        borderBottom: "1px solid var(--mantine-color-default-border)",
        outline: active ? "2px solid var(--mantine-primary-color-filled)" : undefined,
        outlineOffset: -2,
      }}
    >
      <Text span size="xs" c="dimmed" className="argus-mono" title={timeTitle(ms)} style={{ flex: "none" }}>
        {formatLocalTime(ms)}
      </Text>
      <SeverityBadge severity={log.severity} number={log.severityNumber} />
      <Group gap={6} wrap="nowrap" w={130} style={{ flex: "none" }}>
        <ServiceDot name={log.serviceName} size={8} />
        <Text span size="xs" truncate="end" title={log.serviceName}>{log.serviceName}</Text>
      </Group>
      <Text span size="sm" truncate="end" style={{ flex: 1, minWidth: 0 }} data-testid="log-body">
        {log.body}
      </Text>
      {log.traceId && <Waypoints size={14} aria-label="Has a trace" style={{ flex: "none", opacity: 0.6 }} />}
    </div>
  );
});

/** The log list. */
export function LogList({ logs, selectedId, onSelect, onEndReached, loadingMore, height }: LogListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(-1);
  const virtualizer = useVirtualizer({
    count: logs.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
    getItemKey: (i) => logs[i].id,
  });
  const items = virtualizer.getVirtualItems();
  const last = items.length ? items[items.length - 1].index : -1;

  useEffect(() => {
    if (onEndReached && last >= logs.length - 20 && logs.length > 0) onEndReached();
  }, [last, logs.length, onEndReached]);

  const move = (to: number) => {
    const next = Math.max(0, Math.min(logs.length - 1, to));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: "auto" });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const handlers: Record<string, () => void> = {
      ArrowDown: () => move(active + 1),
      ArrowUp: () => move(active - 1),
      PageDown: () => move(active + page),
      PageUp: () => move(active - page),
      Home: () => move(0),
      End: () => move(logs.length - 1),
      Enter: () => logs[active] && onSelect(logs[active]),
    };
    if (handlers[e.key]) {
      e.preventDefault();
      handlers[e.key]();
    }
  };

  return (
    <div
      ref={scrollRef}
      role="listbox"
      aria-label="Log records"
      aria-activedescendant={logs[active] ? `log-row-${logs[active].id}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="log-list"
      style={{
        height,
        overflow: "auto",
        position: "relative",
        border: "1px solid var(--mantine-color-default-border)",
        borderRadius: "var(--mantine-radius-md)",
        outline: "none",
      }}
    >
      <div style={{ height: virtualizer.getTotalSize() + (loadingMore ? 40 : 0), position: "relative" }}>
        {items.map((item) => (
          <LogRow
            key={item.key}
            log={logs[item.index]}
            top={item.start}
            selected={logs[item.index].id === selectedId}
            active={item.index === active}
            onSelect={onSelect}
          />
        ))}
        {loadingMore && (
          <Group
            justify="center"
            style={{ position: "absolute", top: virtualizer.getTotalSize() + 8, width: "100%" }}
          >
            <Loader size="xs" />
          </Group>
        )}
      </div>
    </div>
  );
}
