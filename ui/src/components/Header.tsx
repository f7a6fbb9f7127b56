/**
 * The header on every page: navigation, time range, refresh, live, theme and,
 * when the server requires API keys, who is signed in with a sign-out button.
 *
 * @module
 */
import { ActionIcon, Burger, Button, Group, Menu, Text, Tooltip } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useQueryClient } from "@tanstack/react-query";
import { Eye, LayoutDashboard, Network, RefreshCw, ScrollText, Settings, Waypoints } from "lucide-react";
import type { ComponentType } from "react";
import { useSession } from "../api/session.ts";
import { navigate, useLocation, useSearchParams } from "../hooks/router.tsx";
import { useUrlTimeRange } from "../hooks/use_time_range.ts";
import { useLive } from "../live/LiveProvider.tsx";
import { matchRoute, type Route } from "../model/routes.ts";
import { globalParams, withQuery } from "../model/url_state.ts";
import { Link } from "./Link.tsx";
import { LiveToggle } from "./LiveToggle.tsx";
import { SessionControls } from "./SessionControls.tsx";
import { ThemeToggle } from "./ThemeToggle.tsx";
import { TimeRangePicker } from "./TimeRangePicker.tsx";

interface NavItem {
  path: string;
  label: string;
  icon: ComponentType<{ size?: number }>;
  pages: Route["page"][];
}

/** The pages in the navigation, in order. */
export const NAV: readonly NavItem[] = [
  { path: "/", label: "Dashboard", icon: LayoutDashboard, pages: ["dashboard"] },
  { path: "/traces", label: "Traces", icon: Waypoints, pages: ["traces", "trace"] },
  { path: "/logs", label: "Logs", icon: ScrollText, pages: ["logs"] },
  { path: "/service-map", label: "Service map", icon: Network, pages: ["servicemap"] },
  { path: "/settings", label: "Settings", icon: Settings, pages: ["settings"] },
];

/** The app header. */
export function Header() {
  const { pathname } = useLocation();
  const [params] = useSearchParams();
  const [range, setRange] = useUrlTimeRange();
  const live = useLive();
  const client = useQueryClient();
  const page = matchRoute(pathname).page;
  const keep = globalParams(params);
  // With the session controls the header holds one more thing: below Mantine's lg
  // breakpoint the navigation then shows icons only (an open server keeps its labels).
  const roomy = useMediaQuery("(min-width: 75em)", true, { getInitialValueInEffect: false });
  const iconNav = useSession()?.authRequired === true && !roomy;

  const refresh = () => client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== "live" });

  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
      <Group gap="xs" wrap="nowrap">
        <Link
          href={withQuery("/", keep)}
          style={{ textDecoration: "none", color: "inherit" }}
          aria-label="Argus home"
        >
          <Group gap={6} wrap="nowrap">
            <Eye size={22} color="var(--mantine-color-indigo-6)" />
            <Text fw={700} size="lg">Argus</Text>
          </Group>
        </Link>
        <Group gap={2} wrap="nowrap" visibleFrom="md" component="nav" aria-label="Main">
          {NAV.map((item) => {
            const active = item.pages.includes(page);
            const testId = `nav-${item.path === "/" ? "dashboard" : item.path.slice(1)}`;
            if (iconNav) {
              return (
                <Tooltip key={item.path} label={item.label} withArrow>
                  <ActionIcon
                    component={Link}
                    href={withQuery(item.path, keep)}
                    variant={active ? "light" : "subtle"}
                    color={active ? "indigo" : "gray"}
                    size="lg"
                    aria-label={item.label}
                    aria-current={active ? "page" : undefined}
                    data-testid={testId}
                  >
                    <item.icon size={16} />
                  </ActionIcon>
                </Tooltip>
              );
            }
            return (
              <Button
                key={item.path}
                component={Link}
                href={withQuery(item.path, keep)}
                variant={active ? "light" : "subtle"}
                color={active ? "indigo" : "gray"}
                size="xs"
                leftSection={<item.icon size={14} />}
                aria-current={active ? "page" : undefined}
                data-testid={testId}
              >
                {item.label}
              </Button>
            );
          })}
        </Group>
        <Menu position="bottom-start">
          <Menu.Target>
            <Burger hiddenFrom="md" size="sm" aria-label="Navigation" />
          </Menu.Target>
          <Menu.Dropdown>
            {NAV.map((item) => (
              <Menu.Item
                key={item.path}
                leftSection={<item.icon size={14} />}
                onClick={() => navigate(withQuery(item.path, keep))}
              >
                {item.label}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      </Group>
      <Group gap="sm" wrap="nowrap">
        <TimeRangePicker value={range} onChange={setRange} live={live.enabled} />
        <Tooltip label="Refresh" withArrow>
          <ActionIcon
            variant="default"
            size="lg"
            onClick={refresh}
            aria-label="Refresh"
            data-testid="refresh"
          >
            <RefreshCw size={16} />
          </ActionIcon>
        </Tooltip>
        <LiveToggle />
        <ThemeToggle />
        <SessionControls />
      </Group>
    </Group>
  );
}
