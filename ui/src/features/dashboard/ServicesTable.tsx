/**
 * RED figures (rate, errors, duration) per service and operation.
 *
 * @module
 */
import { Anchor, Card, Skeleton, Table, Text } from "@mantine/core";
import { Link } from "../../components/Link.tsx";
import { ServiceBadge } from "../../components/ServiceBadge.tsx";
import { formatCount, formatDurationMs, formatPercent } from "../../model/format.ts";
import type { OperationStats } from "../../model/types.ts";
import { withQuery } from "../../model/url_state.ts";

/** Props of {@link ServicesTable}. */
export interface ServicesTableProps {
  rows: OperationStats[] | undefined;
  /** Global params (time range) to keep on links. */
  keep: URLSearchParams;
}

function tracesHref(keep: URLSearchParams, service: string, operation?: string): string {
  const p = new URLSearchParams(keep);
  p.set("service_name", service);
  if (operation) p.set("search", operation);
  return withQuery("/traces", p);
}

/** The services table. */
export function ServicesTable({ rows, keep }: ServicesTableProps) {
  const sorted = rows
    ? [...rows].sort((a, b) => a.serviceName.localeCompare(b.serviceName) || b.ratePerMin - a.ratePerMin)
    : undefined;
  return (
    <Card withBorder padding="sm">
      <Text fw={600} size="sm" mb="xs">Services</Text>
      <Table.ScrollContainer minWidth={640} maxHeight={360}>
        <Table striped highlightOnHover stickyHeader fz="sm" data-testid="services-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Service</Table.Th>
              <Table.Th>Operation</Table.Th>
              <Table.Th ta="right">Rate</Table.Th>
              <Table.Th ta="right">Errors</Table.Th>
              <Table.Th ta="right">P50</Table.Th>
              <Table.Th ta="right">P95</Table.Th>
              <Table.Th ta="right">P99</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!sorted
              ? [0, 1, 2].map((i) => (
                <Table.Tr key={i}>
                  <Table.Td colSpan={7}>
                    <Skeleton h={16} />
                  </Table.Td>
                </Table.Tr>
              ))
              : sorted.length === 0
              ? (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text size="sm" c="dimmed">No services reported in this time range.</Text>
                  </Table.Td>
                </Table.Tr>
              )
              : sorted.map((r) => (
                <Table.Tr key={`${r.serviceName}\u0000${r.operation}`} data-testid="service-row">
                  <Table.Td>
                    <Anchor
                      component={Link}
                      href={tracesHref(keep, r.serviceName)}
                      underline="never"
                      c="inherit"
                    >
                      <ServiceBadge name={r.serviceName} />
                    </Anchor>
                  </Table.Td>
                  <Table.Td maw={280}>
                    <Anchor component={Link} href={tracesHref(keep, r.serviceName, r.operation)} size="sm">
                      <Text size="sm" truncate="end" title={r.operation} inherit>{r.operation || "–"}</Text>
                    </Anchor>
                  </Table.Td>
                  <Table.Td ta="right">{formatCount(r.ratePerMin)}/min</Table.Td>
                  <Table.Td
                    ta="right"
                    c={r.errorRate >= 0.05 ? "red" : r.errorRate > 0 ? "yellow.7" : undefined}
                  >
                    {formatPercent(r.errorRate)}
                  </Table.Td>
                  <Table.Td ta="right">{formatDurationMs(r.p50Ms)}</Table.Td>
                  <Table.Td ta="right">{formatDurationMs(r.p95Ms)}</Table.Td>
                  <Table.Td ta="right">{formatDurationMs(r.p99Ms)}</Table.Td>
                </Table.Tr>
              ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
