/**
 * Inline error display for a failed query, with a retry.
 *
 * @module
 */
import { Alert, Button, Group, Text } from "@mantine/core";
import { TriangleAlert } from "lucide-react";

/** An error box for `error`, or nothing. */
export function QueryError({ error, onRetry, title = "Could not load data" }: {
  error: Error | null | undefined;
  onRetry?: () => void;
  title?: string;
}) {
  if (!error) return null;
  return (
    <Alert
      color="red"
      variant="light"
      icon={<TriangleAlert size={18} />}
      title={title}
      data-testid="query-error"
    >
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" style={{ wordBreak: "break-word" }}>{error.message}</Text>
        {onRetry && <Button size="xs" variant="light" color="red" onClick={onRetry}>Retry</Button>}
      </Group>
    </Alert>
  );
}
