/**
 * When REST data last arrived, for the header's "updated Ns ago" while live is off.
 *
 * @module
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

/** Epoch ms of the latest successful query (live keys excluded), or `null`. */
export function useLastDataUpdate(): number | null {
  const client = useQueryClient();
  const [last, setLast] = useState<number | null>(null);
  useEffect(() => {
    return client.getQueryCache().subscribe((event) => {
      if (event.type === "updated" && event.action.type === "success" && event.query.queryKey[0] !== "live") {
        setLast(event.query.state.dataUpdatedAt || Date.now());
      }
    });
  }, [client]);
  return last;
}
