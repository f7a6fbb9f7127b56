/**
 * An id in monospace with a copy button.
 *
 * @module
 */
import { ActionIcon, Code, CopyButton, Group, Tooltip } from "@mantine/core";
import { Check, Copy } from "lucide-react";

/** Props of {@link CopyId}. */
export interface CopyIdProps {
  value: string;
  /** What is copied, for the button's label ("trace id"). */
  label: string;
  "data-testid"?: string;
}

/** Shows an id and a button that copies it. */
export function CopyId({ value, label, "data-testid": testId }: CopyIdProps) {
  return (
    <Group gap={4} wrap="nowrap">
      <Code style={{ wordBreak: "break-all" }}>{value || "–"}</Code>
      {value && (
        <CopyButton value={value} timeout={1500}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? "Copied" : `Copy ${label}`} withArrow>
              <ActionIcon
                variant="subtle"
                color={copied ? "teal" : "gray"}
                size="sm"
                onClick={copy}
                aria-label={`Copy ${label}`}
                data-testid={testId}
              >
                {copied ? <Check size={14} /> : <Copy size={14} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      )}
    </Group>
  );
}
