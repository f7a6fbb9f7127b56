/**
 * The traces filter bar. Text fields apply on Enter or when they lose focus;
 * selections apply at once. Every change goes to the URL.
 *
 * @module
 */
import {
  Button,
  Group,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  TagsInput,
  TextInput,
} from "@mantine/core";
import { Search, X } from "lucide-react";
import { type KeyboardEvent, useEffect, useState } from "react";
import {
  DEFAULT_TRACE_FILTERS,
  hasTraceFilters,
  parseAttrFilter,
  type TraceFilters,
} from "../../model/url_state.ts";

/** Props of {@link TraceFilterBar}. */
export interface TraceFilterBarProps {
  value: TraceFilters;
  onChange: (next: TraceFilters) => void;
  services: string[];
}

const onEnter = (apply: () => void) => (e: KeyboardEvent) => {
  if (e.key === "Enter") apply();
};

const toNumber = (v: string | number): number | null =>
  v === "" || v === null || !Number.isFinite(Number(v)) ? null : Math.max(0, Number(v));

/** Filters of the traces list. */
export function TraceFilterBar({ value, onChange, services }: TraceFilterBarProps) {
  const [search, setSearch] = useState(value.search);
  const [minMs, setMinMs] = useState<string | number>(value.minDurationMs ?? "");
  const [maxMs, setMaxMs] = useState<string | number>(value.maxDurationMs ?? "");
  useEffect(() => setSearch(value.search), [value.search]);
  useEffect(() => setMinMs(value.minDurationMs ?? ""), [value.minDurationMs]);
  useEffect(() => setMaxMs(value.maxDurationMs ?? ""), [value.maxDurationMs]);

  const apply = (patch: Partial<TraceFilters>) => onChange({ ...value, ...patch, page: 1 });
  const applyText = () => {
    const patch = { search: search.trim(), minDurationMs: toNumber(minMs), maxDurationMs: toNumber(maxMs) };
    if (
      patch.search !== value.search || patch.minDurationMs !== value.minDurationMs ||
      patch.maxDurationMs !== value.maxDurationMs
    ) apply(patch);
  };
  const filtered = hasTraceFilters(value);

  return (
    <Group gap="sm" align="flex-end" wrap="wrap" data-testid="trace-filters">
      <MultiSelect
        size="xs"
        label="Services"
        placeholder={value.services.length ? undefined : "All"}
        data={[...new Set([...services, ...value.services])]}
        value={value.services}
        onChange={(services) => apply({ services })}
        searchable
        clearable
        w={240}
        data-testid="filter-services"
      />
      <div>
        <label style={{ display: "block", fontSize: 12, fontWeight: 500, marginBottom: 2 }}>Status</label>
        <SegmentedControl
          size="xs"
          value={value.status || "all"}
          onChange={(s) => apply({ status: s === "all" ? "" : (s as "OK" | "ERROR") })}
          data={[{ label: "All", value: "all" }, { label: "OK", value: "OK" }, {
            label: "Error",
            value: "ERROR",
          }]}
          data-testid="filter-status"
        />
      </div>
      <NumberInput
        size="xs"
        label="Min duration (ms)"
        w={130}
        min={0}
        value={minMs}
        onChange={setMinMs}
        onBlur={applyText}
        onKeyDown={onEnter(applyText)}
        data-testid="filter-min-duration"
      />
      <NumberInput
        size="xs"
        label="Max duration (ms)"
        w={130}
        min={0}
        value={maxMs}
        onChange={setMaxMs}
        onBlur={applyText}
        onKeyDown={onEnter(applyText)}
        data-testid="filter-max-duration"
      />
      <TextInput
        size="xs"
        label="Search"
        placeholder="Trace id or root span name"
        leftSection={<Search size={14} />}
        w={240}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        onBlur={applyText}
        onKeyDown={onEnter(applyText)}
        data-testid="filter-search"
      />
      <TagsInput
        size="xs"
        label="Attributes"
        placeholder={value.attrs.length ? undefined : "key=value, Enter"}
        value={value.attrs}
        onChange={(attrs) => apply({ attrs: attrs.filter((a) => parseAttrFilter(a) !== null) })}
        w={260}
        clearable
        data-testid="filter-attrs"
      />
      {filtered && (
        <Button
          size="xs"
          variant="subtle"
          leftSection={<X size={14} />}
          onClick={() => onChange({ ...DEFAULT_TRACE_FILTERS, sortBy: value.sortBy, order: value.order })}
          data-testid="filter-clear"
        >
          Clear
        </Button>
      )}
    </Group>
  );
}
