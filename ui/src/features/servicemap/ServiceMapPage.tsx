/**
 * Service map: services laid out with dagre in React Flow, coloured by error
 * rate, edges labelled with calls and latency. A node is a link to the
 * service's traces.
 *
 * @module
 */
import { Card, Center, Group, Loader, Stack, Text, Title, useComputedColorScheme } from "@mantine/core";
import { Background, Controls, Handle, type NodeProps, Position, ReactFlow } from "@xyflow/react";
import { useMemo } from "react";
import { Link } from "../../components/Link.tsx";
import { QueryError } from "../../components/QueryError.tsx";
import { ServiceDot } from "../../components/ServiceBadge.tsx";
import { SendDataHint } from "../../components/SendDataHint.tsx";
import { useSearchParams } from "../../hooks/router.tsx";
import { LIVE_RANGE, useUrlTimeRange } from "../../hooks/use_time_range.ts";
import { useLive } from "../../live/LiveProvider.tsx";
import { useServiceMapData } from "../../live/live_data.ts";
import { LEVEL_COLORS, LEVEL_TEXT_COLORS } from "../../model/color.ts";
import { formatCount, formatDurationMs, formatPercent } from "../../model/format.ts";
import { NODE_SIZE } from "../../model/graph_layout.ts";
import { globalParams, withQuery } from "../../model/url_state.ts";
import { type ServiceFlowNode, toFlow } from "./map_elements.ts";

function ServiceNode({ data }: NodeProps<ServiceFlowNode>) {
  const { node, level, href } = data;
  const color = LEVEL_COLORS[level];
  const share = node.requestCount > 0 ? node.errorCount / node.requestCount : 0;
  return (
    <Link
      href={href}
      data-testid="map-node"
      data-service={node.name}
      data-level={level}
      title={`Traces of ${node.name}`}
      style={{
        display: "block",
        width: NODE_SIZE.width,
        height: NODE_SIZE.height,
        boxSizing: "border-box",
        padding: "8px 10px",
        borderRadius: 10,
        border: `2px solid ${color}`,
        background: `color-mix(in srgb, ${color} 12%, var(--mantine-color-body))`,
        color: "var(--mantine-color-text)",
        textDecoration: "none",
      }}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <Group gap={6} wrap="nowrap">
        <ServiceDot name={node.name} />
        <Text fw={700} size="sm" truncate="end">{node.name}</Text>
      </Group>
      <Text size="xs" c="dimmed" mt={4}>
        {formatCount(node.requestCount)} req ·{" "}
        <span style={{ color: LEVEL_TEXT_COLORS[level] }}>{formatPercent(share)} err</span>
      </Text>
      <Text size="xs" c="dimmed">
        avg {formatDurationMs(node.avgLatencyMs)} · p95 {formatDurationMs(node.p95LatencyMs)}
      </Text>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </Link>
  );
}

const NODE_TYPES = { service: ServiceNode };

function Legend() {
  const items: [keyof typeof LEVEL_COLORS, string][] = [
    ["ok", "< 1% errors"],
    ["warn", "1–5% errors"],
    ["bad", "≥ 5% errors"],
    ["idle", "no requests"],
  ];
  return (
    <Group gap="md">
      {items.map(([level, label]) => (
        <Group key={level} gap={6}>
          <span style={{ width: 12, height: 12, borderRadius: 3, background: LEVEL_COLORS[level] }} />
          <Text size="xs" c="dimmed">{label}</Text>
        </Group>
      ))}
    </Group>
  );
}

/** The service map page. */
export default function ServiceMapPage() {
  const [params] = useSearchParams();
  const [urlRange] = useUrlTimeRange();
  const live = useLive();
  const range = live.enabled ? LIVE_RANGE : urlRange;
  const query = useServiceMapData(range);
  const scheme = useComputedColorScheme("light");

  const flow = useMemo(() => {
    if (!query.data) return null;
    const keep = globalParams(params);
    return toFlow(query.data, (service) => {
      const p = new URLSearchParams(keep);
      p.set("service_name", service);
      return withQuery("/traces", p);
    });
  }, [query.data, params]);

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Service map</Title>
        <Legend />
      </Group>
      <QueryError
        error={query.error}
        onRetry={() => query.refetch()}
        title="Could not load the service map"
      />
      {!flow
        ? (
          <Center h={400}>
            <Loader />
          </Center>
        )
        : flow.nodes.length === 0
        ? <SendDataHint title="No services in this time range" />
        : (
          <Card withBorder padding={0} h="calc(100vh - 170px)" mih={420} data-testid="service-map">
            <ReactFlow
              nodes={flow.nodes}
              edges={flow.edges}
              nodeTypes={NODE_TYPES}
              colorMode={scheme}
              nodesDraggable={false}
              nodesConnectable={false}
              fitView
              fitViewOptions={{ padding: 0.2 }}
              minZoom={0.2}
            >
              <Background gap={20} />
              <Controls showInteractive={false} />
            </ReactFlow>
          </Card>
        )}
    </Stack>
  );
}
