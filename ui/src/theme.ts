/**
 * The Mantine theme: indigo, Inter (bundled from @fontsource-variable/inter),
 * medium radius, light and dark schemes. A few of Mantine's default text
 * colours are darkened (light) or lightened (dark) so that secondary text,
 * links and red or green figures reach WCAG AA contrast on the cards, stripes
 * and selected rows they sit on; the browser tests measure it.
 *
 * @module
 */
import { createTheme, type CSSVariablesResolver } from "@mantine/core";

const SANS = "'Inter Variable', Inter, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const MONO = "ui-monospace, SFMono-Regular, 'SF Mono', Menlo, Consolas, 'Liberation Mono', monospace";

/** The app's theme. */
export const theme = createTheme({
  primaryColor: "indigo",
  // indigo.6 (Mantine's default) is 4.3:1 on white, under AA for links and white-on-filled text.
  primaryShade: { light: 7, dark: 8 },
  defaultRadius: "md",
  fontFamily: SANS,
  fontFamilyMonospace: MONO,
  headings: { fontFamily: SANS, fontWeight: "650" },
  cursorType: "pointer",
  respectReducedMotion: true,
});

/** Scheme-dependent CSS variables that override Mantine's defaults. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    // gray.6 is 3.3:1 on white; this is 5.8:1 on white and 4.6:1 on a selected row.
    "--mantine-color-dimmed": "#5f666d",
    "--mantine-color-red-text": "var(--mantine-color-red-9)",
    "--mantine-color-green-text": "var(--mantine-color-green-9)",
    "--mantine-color-orange-text": "var(--mantine-color-orange-9)",
    // Light badges (OK, WARN) on the palest shade: their shade-9 text reads better there.
    "--mantine-color-teal-light": "var(--mantine-color-teal-0)",
    "--mantine-color-orange-light": "var(--mantine-color-orange-0)",
  },
  dark: {
    // dark.2 is 3.5:1 on a card (dark.6); this is 5.6:1 there.
    "--mantine-color-dimmed": "#a6a6a6",
  },
});
