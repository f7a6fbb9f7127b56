/**
 * The global time range, read from and written to the URL. While live mode is
 * on, views use the live window (the last 15 minutes) instead.
 *
 * @module
 */
import { useCallback, useMemo } from "react";
import { parseRangeParams, type TimeRange, writeRangeParams } from "../model/time_range.ts";
import { useSearchParams } from "./router.tsx";

/** The window live snapshots cover (SPEC §7). */
export const LIVE_RANGE: TimeRange = { kind: "relative", duration: "15m" };

/** The URL's time range and a setter that keeps the other params. */
export function useUrlTimeRange(): [TimeRange, (range: TimeRange) => void] {
  const [params, setParams] = useSearchParams();
  const range = useMemo(() => parseRangeParams(params), [params]);
  const setRange = useCallback(
    (next: TimeRange) =>
      setParams((p) => {
        writeRangeParams(p, next);
        p.delete("page");
      }, { replace: false }),
    [setParams],
  );
  return [range, setRange];
}
