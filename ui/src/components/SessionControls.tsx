/**
 * The header's session part, shown only when the server requires API keys:
 * who this browser is signed in as (tenant and role) and a sign-out button.
 * On narrower screens, where the header is full, it shrinks to an icon whose
 * tooltip names the tenant.
 *
 * @module
 */
import { ActionIcon, Button, Group, Text, Tooltip } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useQueryClient } from "@tanstack/react-query";
import { LogOut } from "lucide-react";
import { useState } from "react";
import { notifyError } from "../api/query_client.ts";
import { signOut, useSession } from "../api/session.ts";
import { describeSession } from "../model/session.ts";

/** Tenant, role and "Sign out"; nothing on an open server. */
export function SessionControls() {
  const session = useSession();
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  // Mantine's xl breakpoint: below it the navigation, time range and live toggle fill the header.
  const wide = useMediaQuery("(min-width: 88em)", true, { getInitialValueInEffect: false });
  if (!session?.authRequired || !session.authenticated) return null;

  const onSignOut = async () => {
    setBusy(true);
    try {
      await signOut(client);
    } catch (err) {
      notifyError("sign-out", "Could not sign out", err);
      setBusy(false);
    }
  };
  const who = describeSession(session);
  const tip = `Signed in to tenant ${session.tenant ?? "?"} with a ${session.role ?? "?"} key`;

  if (!wide) {
    return (
      <Tooltip label={`Sign out (${who})`} withArrow>
        <ActionIcon
          variant="default"
          size="lg"
          loading={busy}
          onClick={onSignOut}
          aria-label={`Sign out (${who})`}
          data-testid="logout"
        >
          <LogOut size={16} />
        </ActionIcon>
      </Tooltip>
    );
  }
  return (
    <Group gap={8} wrap="nowrap">
      <Tooltip label={tip} withArrow>
        <Text size="xs" c="dimmed" maw={180} truncate="end" data-testid="session-tenant">
          {who}
        </Text>
      </Tooltip>
      <Button
        variant="default"
        size="xs"
        h={34}
        leftSection={<LogOut size={14} />}
        loading={busy}
        onClick={onSignOut}
        data-testid="logout"
      >
        Sign out
      </Button>
    </Group>
  );
}
