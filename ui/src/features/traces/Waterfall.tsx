/**
 * The trace waterfall, virtualised with @tanstack/react-virtual: only the rows
 * in view (plus a small overscan) are in the DOM, so 10,000 spans scroll as
 * smoothly as 10. Keyboard: ↑/↓ move, ←/→ collapse/expand, Enter opens the span.
 *
 * @module
 */
import { Box, Group, Text } from "@mantine/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { ChevronDown, ChevronRight } from "lucide-react";
import { type KeyboardEvent, memo, useEffect, useRef, useState } from "react";
import { serviceColor } from "../../model/color.ts";
import { formatDurationUs } from "../../model/format.ts";
import type { Span } from "../../model/types.ts";
import {
  type CriticalSegment,
  ticks,
  type WaterfallLayout,
  type WaterfallRow,
} from "../../model/waterfall.ts";

const ROW_HEIGHT = 28; // keep in step with .wf-row in styles.css
const NAME_WIDTH = "36%";
const INDENT = 14;
const MAX_INDENT_LEVELS = 24;

/** Props of {@link Waterfall}. */
export interface WaterfallProps {
  layout: WaterfallLayout<Span>;
  rows: WaterfallRow<Span>[];
  collapsed: ReadonlySet<string>;
  onToggle: (spanId: string) => void;
  selectedSpanId: string | null;
  onSelect: (spanId: string) => void;
  /** The critical path (spans and their segments); `null` when highlighting is off. */
  critical: { spanIds: ReadonlySet<string>; segments: Map<string, CriticalSegment[]> } | null;
}

interface RowProps {
  row: WaterfallRow<Span>;
  layout: WaterfallLayout<Span>;
  top: number;
  selected: boolean;
  active: boolean;
  collapsed: boolean;
  onPath: boolean;
  segments: CriticalSegment[] | undefined;
  onToggle: (spanId: string) => void;
  onSelect: (spanId: string) => void;
}

const pct = (n: number) => `${(Math.min(1, Math.max(0, n)) * 100).toFixed(4)}%`;

const WaterfallRowView = memo(function WaterfallRowView(
  { row, layout, top, selected, active, collapsed, onPath, segments, onToggle, onSelect }: RowProps,
) {
  const { span, depth } = row;
  const label = formatDurationUs(span.durationUs);
  const labelLeft = row.offset + row.width > 0.8;
  const indent = Math.min(depth, MAX_INDENT_LEVELS) * INDENT;
  return (
    <div
      id={`span-row-${span.spanId}`}
      role="treeitem"
      aria-level={depth + 1}
      aria-expanded={row.childCount > 0 ? !collapsed : undefined}
      aria-selected={selected}
      className="argus-row wf-row"
      data-testid="waterfall-row"
      data-span-id={span.spanId}
      data-critical={onPath || undefined}
      data-error={span.status === "ERROR" || undefined}
      data-selected={selected || undefined}
      data-active={active || undefined}
      onClick={() => onSelect(span.spanId)}
      style={{ transform: `translateY(${top}px)` }}
    >
      <div className="wf-name" style={{ paddingLeft: 4 + indent }}>
        {row.childCount > 0
          ? (
            <button
              type="button"
              className="wf-toggle"
              tabIndex={-1}
              aria-label={collapsed ? "Expand" : "Collapse"}
              onClick={(e) => {
                e.stopPropagation();
                onToggle(span.spanId);
              }}
            >
              {collapsed ? <ChevronRight size={14} /> : <ChevronDown size={14} />}
            </button>
          )
          : <span style={{ width: 14, flex: "none" }} />}
        {depth > MAX_INDENT_LEVELS && <span className="wf-dim">{depth}›</span>}
        <span
          style={{
            width: 3,
            height: 16,
            background: serviceColor(span.serviceName),
            borderRadius: 2,
            flex: "none",
          }}
        />
        <span className="wf-service">{span.serviceName}</span>
        <span className="wf-span-name" title={span.name}>{span.name}</span>
        {row.childCount > 0 && collapsed && <span className="wf-dim">({row.childCount})</span>}
      </div>
      <div className="wf-track">
        <div
          className="wf-bar"
          title={`${span.name}: ${label}`}
          style={{ left: pct(row.offset), width: pct(row.width), background: serviceColor(span.serviceName) }}
        />
        {segments?.map((seg, i) => (
          <div
            key={i}
            className="wf-critical"
            data-testid="critical-segment"
            style={{
              left: pct((seg.startUs - layout.startUs) / (layout.durationUs || 1)),
              width: pct((seg.endUs - seg.startUs) / (layout.durationUs || 1)),
            }}
          />
        ))}
        <span
          className="wf-label"
          style={labelLeft
            ? { right: `calc(${pct(1 - row.offset)} + 4px)` }
            : { left: `calc(${pct(row.offset + row.width)} + 4px)` }}
        >
          {label}
        </span>
      </div>
    </div>
  );
});

/** The virtualised span tree with a time ruler. */
export function Waterfall(
  { layout, rows, collapsed, onToggle, selectedSpanId, onSelect, critical }: WaterfallProps,
) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(-1);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  // Keep the cursor on the selected span when the selection comes from elsewhere (URL, logs).
  useEffect(() => {
    if (!selectedSpanId) return;
    const at = rows.findIndex((r) => r.span.spanId === selectedSpanId);
    if (at >= 0) {
      setActive(at);
      virtualizer.scrollToIndex(at, { align: "auto" });
    }
  }, [selectedSpanId]);

  const move = (to: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, to));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: "auto" });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const row = rows[active];
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1);
    const keysHandled: Record<string, () => void> = {
      ArrowDown: () => move(active + 1),
      ArrowUp: () => move(active - 1),
      PageDown: () => move(active + page),
      PageUp: () => move(active - page),
      Home: () => move(0),
      End: () => move(rows.length - 1),
      Enter: () => row && onSelect(row.span.spanId),
      " ": () => row && onSelect(row.span.spanId),
      ArrowLeft: () => {
        if (!row) return;
        if (row.childCount > 0 && !collapsed.has(row.span.spanId)) onToggle(row.span.spanId);
        else {
          // go to the parent
          for (let i = active - 1; i >= 0; i--) if (rows[i].depth < row.depth) return move(i);
        }
      },
      ArrowRight: () => {
        if (row && row.childCount > 0 && collapsed.has(row.span.spanId)) onToggle(row.span.spanId);
        else if (row && row.childCount > 0) move(active + 1);
      },
    };
    const handler = keysHandled[e.key];
    if (handler) {
      e.preventDefault();
      if (active < 0 && e.key !== "Home" && e.key !== "End") move(0);
      else handler();
    }
  };

  const height = Math.min(rows.length * ROW_HEIGHT + 2, Math.max(320, globalThis.innerHeight * 0.62));
  const activeRow = rows[active];

  return (
    <Box
      style={{
        border: "1px solid var(--mantine-color-default-border)",
        borderRadius: "var(--mantine-radius-md)",
      }}
    >
      <Group
        gap={0}
        wrap="nowrap"
        h={28}
        style={{ borderBottom: "1px solid var(--mantine-color-default-border)" }}
      >
        <Text size="xs" fw={600} c="dimmed" pl={8} w={NAME_WIDTH} style={{ flex: "none" }}>
          Service · span ({rows.length === layout.rows.length
            ? rows.length
            : `${rows.length} of ${layout.rows.length}`})
        </Text>
        <div style={{ position: "relative", flex: 1, height: "100%", marginRight: 8 }}>
          {ticks(layout.durationUs, 5).map((t) => (
            <Text
              key={t.offset}
              span
              size="xs"
              c="dimmed"
              style={{
                position: "absolute",
                top: 6,
                left: pct(t.offset),
                transform: t.offset === 0
                  ? undefined
                  : t.offset === 1
                  ? "translateX(-100%)"
                  : "translateX(-50%)",
                whiteSpace: "nowrap",
              }}
            >
              {formatDurationUs(t.us)}
            </Text>
          ))}
        </div>
      </Group>
      <div
        ref={scrollRef}
        role="tree"
        aria-label="Spans of the trace"
        aria-activedescendant={activeRow ? `span-row-${activeRow.span.spanId}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onFocus={() => active < 0 && rows.length > 0 && setActive(0)}
        data-testid="waterfall"
        style={{ height, overflow: "auto", position: "relative", contain: "strict", outline: "none" }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: "relative", width: "100%" }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            return (
              <WaterfallRowView
                key={row.index}
                row={row}
                layout={layout}
                top={item.start}
                selected={row.span.spanId === selectedSpanId}
                active={item.index === active}
                collapsed={collapsed.has(row.span.spanId)}
                onPath={critical?.spanIds.has(row.span.spanId) ?? false}
                segments={critical?.segments.get(row.span.spanId)}
                onToggle={onToggle}
                onSelect={onSelect}
              />
            );
          })}
        </div>
      </div>
    </Box>
  );
}
