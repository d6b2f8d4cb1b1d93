// Mycelia's publisher writes `<sha>/tests.json` and `<sha>/benchmarks.json` as Shields endpoints
// whose message is "<status>[ <seconds>s]"; our summaries use the same names. Told apart by shape.
import { STATUSES, type ShieldsEndpoint, type Status } from "./types.js";

export function looksLikeShieldsEndpoint(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "schemaVersion" in value;
}

/** The status and duration a Mycelia endpoint's message states, when it states a known status. */
export function readEndpointMessage(endpoint: ShieldsEndpoint): {
  status?: Status;
  duration_seconds?: number;
} {
  const match = /^(.*?)(?: (\d+)s)?$/.exec(endpoint.message.trim());
  const word = (match?.[1] ?? "").toLowerCase();
  const status = (STATUSES as readonly string[]).includes(word) ? (word as Status) : undefined;
  const seconds = match?.[2] === undefined ? undefined : Number(match[2]);
  return { ...(status && { status }), ...(seconds !== undefined && { duration_seconds: seconds }) };
}
