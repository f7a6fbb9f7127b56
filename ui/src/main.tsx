/**
 * Entry point: providers (Mantine, notifications, TanStack Query, router, live
 * mode) around the app. Styles are a separate esbuild entry (`styles.css`).
 *
 * @module
 */
import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createQueryClient } from "./api/query_client.ts";
import { App } from "./App.tsx";
import { LiveProvider } from "./live/LiveProvider.tsx";
import { cssVariablesResolver, theme } from "./theme.ts";

const root = document.getElementById("root");
if (!root) throw new Error("index.html lacks the #root element");

const queryClient = createQueryClient();

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="auto" cssVariablesResolver={cssVariablesResolver}>
      <Notifications position="top-right" limit={4} />
      <QueryClientProvider client={queryClient}>
        <LiveProvider>
          <App />
        </LiveProvider>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
