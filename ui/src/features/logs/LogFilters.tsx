/**
 * The logs filter bar: services, severities, body search and trace id.
 *
 * @module
 */
import { Button, Chip, Group, MultiSelect, Stack, Text, TextInput } from "@mantine/core";
import { Search, X } from "lucide-react";
import { type KeyboardEvent, useEffect, useState } from "react";
import { SEVERITIES, severityColor, type SeverityName } from "../../model/severity.ts";
import { DEFAULT_LOG_FILTERS, type LogFilters } from "../../model/url_state.ts";

/** Props of {@link LogFilterBar}. */
export interface LogFilterBarProps {
  value: LogFilters;
  onChange: (next: LogFilters) => void;
  services: string[];
}

/** Filters of the logs page. */
export function LogFilterBar({ value, onChange, services }: LogFilterBarProps) {
  const [search, setSearch] = useState(value.search);
  const [traceId, setTraceId] = useState(value.traceId);
  const [traceError, setTraceError] = useState("");
  useEffect(() => setSearch(value.search), [value.search]);
  useEffect(() => setTraceId(value.traceId), [value.traceId]);

  const applyText = () => {
    const t = traceId.trim().toLowerCase();
    if (t && !/^[0-9a-f]{32}$/.test(t)) {
      setTraceError("32 hexadecimal characters");
      return;
    }
    setTraceError("");
    if (search.trim() !== value.search || t !== value.traceId) {
      onChange({ ...value, search: search.trim(), traceId: t });
    }
  };
  const onEnter = (e: KeyboardEvent) => e.key === "Enter" && applyText();
  const filtered = value.services.length > 0 || value.severities.length > 0 || value.search !== "" ||
    value.traceId !== "";

  return (
    <Group gap="sm" align="flex-end" wrap="wrap" data-testid="log-filters">
      <MultiSelect
        size="xs"
        label="Services"
        placeholder={value.services.length ? undefined : "All"}
        data={[...new Set([...services, ...value.services])]}
        value={value.services}
        onChange={(s) => onChange({ ...value, services: s })}
        searchable
        clearable
        w={220}
        data-testid="log-filter-services"
      />
      <Stack gap={2}>
        <Text size="xs" fw={500}>Severity</Text>
        <Chip.Group
          multiple
          value={value.severities}
          onChange={(s) => onChange({ ...value, severities: s as SeverityName[] })}
        >
          {/* As tall as the xs inputs beside it, so the labels line up. */}
          <Group gap={4} h={30} align="center" data-testid="log-filter-severity">
            {SEVERITIES.map((s) => (
              <Chip key={s} value={s} size="xs" color={severityColor(s)} variant="light">{s}</Chip>
            ))}
          </Group>
        </Chip.Group>
      </Stack>
      <TextInput
        size="xs"
        label="Search in body"
        leftSection={<Search size={14} />}
        w={240}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        onBlur={applyText}
        onKeyDown={onEnter}
        data-testid="log-filter-search"
      />
      <TextInput
        size="xs"
        label="Trace id"
        w={280}
        value={traceId}
        error={traceError || undefined}
        onChange={(e) => setTraceId(e.currentTarget.value)}
        onBlur={applyText}
        onKeyDown={onEnter}
        data-testid="log-filter-trace"
        styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
      />
      {filtered && (
        <Button
          size="xs"
          variant="subtle"
          leftSection={<X size={14} />}
          onClick={() => onChange(DEFAULT_LOG_FILTERS)}
        >
          Clear
        </Button>
      )}
    </Group>
  );
}
