/**
 * This server's OTLP endpoints as seen from the browser.
 *
 * @module
 */

/**
 * The OTLP endpoints on the host the page was loaded from: gRPC on 4317, HTTP on
 * 4318 (the default ports of SPEC §2). IPv6 literals are bracketed.
 */
export function otlpEndpoints(hostname: string): { grpc: string; http: string } {
  const bare = hostname.replace(/^\[|\]$/g, "");
  const host = bare.includes(":") ? `[${bare}]` : bare || "localhost";
  return { grpc: `http://${host}:4317`, http: `http://${host}:4318` };
}
