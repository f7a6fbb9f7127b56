/**
 * The login card, shown instead of the pages when the server requires API keys
 * and this browser has no session. The key is sent once to `POST /api/session`,
 * which answers with an HttpOnly cookie; the key itself is not kept.
 *
 * @module
 */
import { Alert, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQueryClient } from "@tanstack/react-query";
import { CircleAlert, Eye, Info, LogIn } from "lucide-react";
import { type FormEvent, useEffect, useState } from "react";
import { ApiError } from "../../api/client.ts";
import { forgetData, signIn } from "../../api/session.ts";
import { ThemeToggle } from "../../components/ThemeToggle.tsx";
import { loginErrorMessage, SESSION_ENDED } from "../../model/session.ts";

/** The login screen; `ended` says the previous session ran out. */
export function LoginPage({ ended = false }: { ended?: boolean }) {
  const client = useQueryClient();
  const [key, setKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; message: string } | null>(null);
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    // Nothing of the last session stays behind: neither its data nor its toasts.
    forgetData(client);
    notifications.clean();
    document.title = "Sign in · Argus";
  }, [client]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = key.trim();
    if (busy) return;
    if (!trimmed) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const session = await signIn(client, trimmed);
      if (!session.authenticated) {
        setError({
          title: "The session did not stick",
          message: "The key was accepted but the browser did not keep the session cookie. " +
            "Allow cookies for this site and try again.",
        });
      }
      // Otherwise the session query now says "authenticated" and the app replaces this card.
    } catch (err) {
      setError(
        err instanceof ApiError
          ? loginErrorMessage(err.status, err.message)
          : loginErrorMessage(0, err instanceof Error ? err.message : String(err)),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box
      mih="100dvh"
      pos="relative"
      bg="light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-8))"
    >
      <Box pos="absolute" top={16} right={16}>
        <ThemeToggle />
      </Box>
      <Center mih="100dvh" p="md">
        <Paper withBorder shadow="md" radius="md" p="xl" w={420} maw="100%" data-testid="login-card">
          <form onSubmit={submit} data-testid="login-form" noValidate>
            <Stack gap="lg">
              <Stack gap={6}>
                <Group gap={8} wrap="nowrap">
                  <Eye size={26} color="var(--mantine-color-indigo-6)" aria-hidden />
                  <Text fw={700} size="lg">Argus</Text>
                </Group>
                <Title order={2} size="h3">Sign in to Argus</Title>
                <Text size="sm" c="dimmed">
                  This server needs an API key with read or admin access. It is exchanged for a session cookie
                  and not stored in the browser.
                </Text>
              </Stack>
              {ended && !error && (
                <Alert color="indigo" variant="light" icon={<Info size={18} />} data-testid="login-ended">
                  {SESSION_ENDED}
                </Alert>
              )}
              <PasswordInput
                label="API key"
                placeholder="Paste a read or admin key"
                value={key}
                onChange={(e) => {
                  setKey(e.currentTarget.value);
                  setMissing(false);
                  if (error) setError(null);
                }}
                autoFocus
                autoComplete="current-password"
                spellCheck={false}
                required
                error={missing ? "Enter an API key" : error ? true : undefined}
                data-testid="login-key"
              />
              {error && (
                <Alert
                  id="login-error"
                  color="red"
                  variant="light"
                  icon={<CircleAlert size={18} />}
                  title={error.title}
                  role="alert"
                  data-testid="login-error"
                >
                  {error.message}
                </Alert>
              )}
              <Button
                type="submit"
                fullWidth
                loading={busy}
                leftSection={<LogIn size={16} />}
                data-testid="login-submit"
              >
                Sign in
              </Button>
            </Stack>
          </form>
        </Paper>
      </Center>
    </Box>
  );
}
