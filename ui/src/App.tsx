/**
 * The app shell: header on every page and the page for the current route.
 * Pages load lazily so the first screen does not wait for charts and graphs.
 * When the server requires API keys and this browser has no session, the
 * login card shows instead (nothing under `/api` is asked for until then).
 *
 * @module
 */
import { AppShell, Center, Loader, Stack, Text, Title } from "@mantine/core";
import { lazy, Suspense, useEffect, useState } from "react";
import { useSession, useSessionGate } from "./api/session.ts";
import { ErrorBoundary } from "./components/ErrorBoundary.tsx";
import { Header } from "./components/Header.tsx";
import { LoginPage } from "./features/login/LoginPage.tsx";
import { Link } from "./components/Link.tsx";
import { useLocation } from "./hooks/router.tsx";
import { matchRoute, type Route } from "./model/routes.ts";

const DashboardPage = lazy(() => import("./features/dashboard/DashboardPage.tsx"));
const TracesPage = lazy(() => import("./features/traces/TracesPage.tsx"));
const TracePage = lazy(() => import("./features/traces/TracePage.tsx"));
const LogsPage = lazy(() => import("./features/logs/LogsPage.tsx"));
const ServiceMapPage = lazy(() => import("./features/servicemap/ServiceMapPage.tsx"));
const SettingsPage = lazy(() => import("./features/settings/SettingsPage.tsx"));

const TITLES: Record<Route["page"], string> = {
  dashboard: "Dashboard",
  traces: "Traces",
  trace: "Trace",
  logs: "Logs",
  servicemap: "Service map",
  settings: "Settings",
  notFound: "Not found",
};

function NotFound({ path }: { path: string }) {
  return (
    <Stack align="center" mt="xl" data-testid="not-found">
      <Title order={2}>Page not found</Title>
      <Text c="dimmed">Nothing lives at {path}.</Text>
      <Link href="/">Go to the dashboard</Link>
    </Stack>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case "dashboard":
      return <DashboardPage />;
    case "traces":
      return <TracesPage />;
    case "trace":
      return <TracePage traceId={route.traceId} />;
    case "logs":
      return <LogsPage />;
    case "servicemap":
      return <ServiceMapPage />;
    case "settings":
      return <SettingsPage />;
    case "notFound":
      return <NotFound path={route.path} />;
  }
}

/** The root component: the login card or the app, as the session says. */
export function App() {
  const gate = useSessionGate();
  const session = useSession();
  // Whether the app was shown in this tab: a login card after it means the session ended.
  const [wasIn, setWasIn] = useState(false);
  useEffect(() => {
    if (gate === "app") setWasIn(true);
  }, [gate]);
  if (gate === "loading") return <SessionLoading />;
  if (gate === "login") return <LoginPage ended={wasIn && !session?.signedOut} />;
  return <Shell />;
}

/** Blank while the session is asked for; a spinner only if that takes a while. */
function SessionLoading() {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setSlow(true), 400);
    return () => clearTimeout(t);
  }, []);
  return (
    <Center mih="100dvh" data-testid="session-loading">
      {slow && <Loader />}
    </Center>
  );
}

function Shell() {
  const { pathname } = useLocation();
  const route = matchRoute(pathname);
  useEffect(() => {
    document.title = `${TITLES[route.page]} · Argus`;
  }, [route.page]);
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Header />
      </AppShell.Header>
      <AppShell.Main>
        <ErrorBoundary resetKey={pathname}>
          <Suspense
            fallback={
              <Center mt="xl">
                <Loader />
              </Center>
            }
          >
            <Page route={route} />
          </Suspense>
        </ErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}
