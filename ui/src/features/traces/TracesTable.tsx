/**
 * The traces list as a TanStack Table (v9): server-side sorting driven by the
 * URL, each row a link to its trace.
 *
 * @module
 */
import { Anchor, Group, Skeleton, Table, Text, UnstyledButton } from "@mantine/core";
import {
  createColumnHelper,
  rowSortingFeature,
  type SortingState,
  tableFeatures,
  type Updater,
  useTable,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import type { MouseEvent } from "react";
import { Link } from "../../components/Link.tsx";
import { ServiceBadge } from "../../components/ServiceBadge.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { TimeText } from "../../components/TimeText.tsx";
import { navigate } from "../../hooks/router.tsx";
import { formatDurationUs } from "../../model/format.ts";
import { isPlainLeftClick, tracePath } from "../../model/routes.ts";
import type { TraceSummary } from "../../model/types.ts";
import { type SortOrder, TRACE_SORTS, type TraceSort, withQuery } from "../../model/url_state.ts";

const features = tableFeatures({ rowSortingFeature });
const helper = createColumnHelper<typeof features, TraceSummary>();

/** Link to a trace page that keeps the global time range. */
function traceHref(t: TraceSummary, keep: URLSearchParams): string {
  return withQuery(tracePath(t.traceId), keep);
}

const columns = helper.columns([
  helper.accessor("startUs", {
    id: "timestamp",
    header: "Start",
    cell: (info) => <TimeText us={info.getValue()} size="sm" />,
  }),
  helper.accessor("serviceName", {
    id: "service_name",
    header: "Service",
    cell: (info) => <ServiceBadge name={info.getValue()} />,
  }),
  helper.accessor("name", {
    id: "name",
    header: "Root span",
    enableSorting: false,
    cell: (info) => (
      <Anchor
        component={Link}
        href={traceHref(info.row.original, (info.table.options.meta as { keep: URLSearchParams }).keep)}
        size="sm"
        data-testid="trace-link"
      >
        <Text size="sm" truncate="end" inherit title={info.getValue()}>{info.getValue() || "(unnamed)"}</Text>
      </Anchor>
    ),
  }),
  helper.accessor("durationUs", {
    id: "duration",
    header: "Duration",
    cell: (info) => <Text size="sm" ta="right">{formatDurationUs(info.getValue())}</Text>,
  }),
  helper.accessor("spanCount", {
    id: "span_count",
    header: "Spans",
    cell: (info) => <Text size="sm" ta="right">{info.getValue()}</Text>,
  }),
  helper.accessor("errorCount", {
    id: "errors",
    header: "Errors",
    enableSorting: false,
    cell: (info) => (
      <Text size="sm" ta="right" c={info.getValue() > 0 ? "red" : "dimmed"}>{info.getValue()}</Text>
    ),
  }),
  helper.accessor("status", {
    id: "status",
    header: "Status",
    enableSorting: false,
    cell: (info) => <StatusBadge status={info.getValue()} />,
  }),
]);

const WIDTHS: Record<string, number | undefined> = {
  timestamp: 190,
  service_name: 160,
  duration: 100,
  span_count: 84,
  errors: 76,
  status: 90,
};

/** Props of {@link TracesTable}. */
export interface TracesTableProps {
  traces: TraceSummary[] | undefined;
  sortBy: TraceSort;
  order: SortOrder;
  onSortChange: (sortBy: TraceSort, order: SortOrder) => void;
  /** Global params (time range) kept on row links. */
  keep: URLSearchParams;
}

const EMPTY: TraceSummary[] = [];

/** The sortable traces table. */
export function TracesTable({ traces, sortBy, order, onSortChange, keep }: TracesTableProps) {
  const sorting: SortingState = [{ id: sortBy, desc: order === "desc" }];
  const table = useTable({
    features,
    columns,
    data: traces ?? EMPTY,
    getRowId: (t) => t.traceId,
    state: { sorting },
    manualSorting: true,
    enableSortingRemoval: false,
    enableMultiSort: false,
    meta: { keep },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      if (first && (TRACE_SORTS as readonly string[]).includes(first.id)) {
        onSortChange(first.id as TraceSort, first.desc ? "desc" : "asc");
      }
    },
  });

  const openRow = (event: MouseEvent<HTMLTableRowElement>, href: string) => {
    if ((event.target as HTMLElement).closest("a, button")) return; // the link handles itself
    if (event.button === 1 || event.ctrlKey || event.metaKey) globalThis.open(href, "_blank", "noopener");
    else if (isPlainLeftClick(event)) navigate(href);
  };

  return (
    <Table.ScrollContainer minWidth={860}>
      <Table highlightOnHover fz="sm" layout="fixed" data-testid="traces-table">
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const canSort = header.column.getCanSort();
                const numeric = ["duration", "span_count", "errors"].includes(header.column.id);
                return (
                  <Table.Th
                    key={header.id}
                    w={WIDTHS[header.column.id]}
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                  >
                    {canSort
                      ? (
                        <UnstyledButton
                          onClick={header.column.getToggleSortingHandler()}
                          data-testid={`sort-${header.column.id}`}
                          style={{ width: "100%" }}
                        >
                          <Group gap={4} wrap="nowrap" justify={numeric ? "flex-end" : "flex-start"}>
                            <Text size="sm" fw={600}>
                              <table.FlexRender header={header} />
                            </Text>
                            {sorted === "asc"
                              ? <ArrowUp size={14} />
                              : sorted === "desc"
                              ? <ArrowDown size={14} />
                              : <ArrowUpDown size={14} opacity={0.4} />}
                          </Group>
                        </UnstyledButton>
                      )
                      : (
                        <Text size="sm" fw={600} ta={numeric ? "right" : undefined}>
                          <table.FlexRender header={header} />
                        </Text>
                      )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {!traces
            ? Array.from({ length: 8 }, (_, i) => (
              <Table.Tr key={i}>
                <Table.Td colSpan={columns.length}>
                  <Skeleton h={18} />
                </Table.Td>
              </Table.Tr>
            ))
            : table.getRowModel().rows.map((row) => {
              const href = traceHref(row.original, keep);
              return (
                <Table.Tr
                  key={row.id}
                  data-testid="trace-row"
                  data-trace-id={row.original.traceId}
                  style={{ cursor: "pointer" }}
                  onClick={(e) => openRow(e, href)}
                  onAuxClick={(e) => openRow(e, href)}
                >
                  {row.getAllCells().map((cell) => (
                    <Table.Td key={cell.id} style={{ overflow: "hidden" }}>
                      <table.FlexRender cell={cell} />
                    </Table.Td>
                  ))}
                </Table.Tr>
              );
            })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
