/**
 * A key/value table of attributes with a filter box. Values are text, never HTML.
 *
 * @module
 */
import { Code, Stack, Table, Text, TextInput } from "@mantine/core";
import { Search } from "lucide-react";
import { useState } from "react";
import { filterAttributes, valueText } from "../model/attributes.ts";
import type { Attribute } from "../model/types.ts";

/** Props of {@link AttributesTable}. */
export interface AttributesTableProps {
  rows: Attribute[];
  /** Hide the filter box (short lists). */
  withFilter?: boolean;
  "data-testid"?: string;
}

/** Attributes as a two-column table. */
export function AttributesTable({ rows, withFilter = true, "data-testid": testId }: AttributesTableProps) {
  const [query, setQuery] = useState("");
  const shown = filterAttributes(rows, query);
  return (
    <Stack gap="xs" data-testid={testId}>
      {withFilter && rows.length > 0 && (
        <TextInput
          size="xs"
          placeholder="Filter attributes"
          aria-label="Filter attributes"
          leftSection={<Search size={14} />}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
        />
      )}
      {rows.length === 0
        ? <Text size="sm" c="dimmed">None</Text>
        : shown.length === 0
        ? <Text size="sm" c="dimmed">No attribute matches “{query}”.</Text>
        : (
          <Table striped withTableBorder fz="xs" verticalSpacing={4} layout="fixed">
            <Table.Tbody>
              {shown.map((a) => (
                <Table.Tr key={a.key} data-testid="attribute-row">
                  <Table.Td w="40%" style={{ wordBreak: "break-all", verticalAlign: "top" }}>
                    <Text size="xs" fw={500}>{a.key}</Text>
                  </Table.Td>
                  <Table.Td style={{ wordBreak: "break-word", whiteSpace: "pre-wrap" }}>
                    <Code bg="transparent" p={0}>{valueText(a.value)}</Code>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
    </Stack>
  );
}
