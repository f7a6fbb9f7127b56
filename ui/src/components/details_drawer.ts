/**
 * Shared settings of the modeless details drawers (span, log): they open on
 * the right below the header, without an overlay, and the page beside them
 * makes room (`.argus-beside-drawer` in styles.css) instead of being covered.
 *
 * @module
 */
import type { DrawerProps } from "@mantine/core";

/** The drawer's width; keep in step with `.argus-beside-drawer` in styles.css. */
export const DETAILS_DRAWER_SIZE = "min(720px, 50vw)";

/** Props every details drawer spreads. */
export const DETAILS_DRAWER_PROPS = {
  position: "right",
  size: DETAILS_DRAWER_SIZE,
  withOverlay: false,
  lockScroll: false,
  trapFocus: false,
  closeOnClickOutside: false,
  shadow: "xl",
  // Below the app header, so navigation, time range, live and theme stay usable.
  styles: { inner: { top: "var(--app-shell-header-height, 56px)" } },
} as const satisfies Partial<DrawerProps>;
