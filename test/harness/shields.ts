// Shields' rules for endpoint JSON, written from its own schema (badges/shields services/endpoint-common.js,
// a Joi object that rejects unknown keys) and https://shields.io/badges/endpoint-badge. Independent of our
// JSON Schema on purpose: the tests hold both to the same cases.

const STRINGS = ["color", "labelColor", "namedLogo", "logoSvg", "style"] as const;
const NAMED_LOGO_ONLY = ["logoColor", "logoSize"] as const;
const ANY_LOGO_ONLY = ["logoWidth", "logoPosition"] as const;
export const SHIELDS_KEYS = [
  "schemaVersion",
  "label",
  "message",
  "isError",
  "cacheSeconds",
  ...STRINGS,
  ...NAMED_LOGO_ONLY,
  ...ANY_LOGO_ONLY,
];

/** Shields' named colours; anything else must be a CSS colour (we only write named ones). */
export const SHIELDS_NAMED_COLORS = [
  "brightgreen",
  "green",
  "yellowgreen",
  "yellow",
  "orange",
  "red",
  "blue",
  "lightgrey",
  "grey",
  "gray",
  "lightgray",
  "critical",
  "important",
  "success",
  "informational",
  "inactive",
];

const nonEmptyString = (v: unknown) => typeof v === "string" && v.length > 0;

/** Every reason Shields would refuse `value` ("invalid properties: ..."); empty when it renders it. */
export function shieldsEndpointProblems(value: unknown): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return ["not a JSON object"];
  const doc = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(doc)) if (!SHIELDS_KEYS.includes(key)) problems.push(`${key}: unknown key`);
  if (doc.schemaVersion !== 1) problems.push("schemaVersion: must be the number 1");
  if (typeof doc.label !== "string") problems.push("label: required string (may be empty)");
  if (!nonEmptyString(doc.message)) problems.push("message: required, non-empty string");
  for (const key of STRINGS) {
    if (key in doc && !nonEmptyString(doc[key])) problems.push(`${key}: must be a non-empty string`);
  }
  if ("isError" in doc && typeof doc.isError !== "boolean") problems.push("isError: must be true or false");
  if ("cacheSeconds" in doc && !(Number.isInteger(doc.cacheSeconds) && (doc.cacheSeconds as number) >= 0)) {
    problems.push("cacheSeconds: must be an integer >= 0");
  }
  for (const key of NAMED_LOGO_ONLY) {
    if (!(key in doc)) continue;
    if (!nonEmptyString(doc[key])) problems.push(`${key}: must be a non-empty string`);
    if (!("namedLogo" in doc)) problems.push(`${key}: only with namedLogo`);
  }
  for (const key of ANY_LOGO_ONLY) {
    if (!(key in doc)) continue;
    if (typeof doc[key] !== "number") problems.push(`${key}: must be a number`);
    if (!("namedLogo" in doc) && !("logoSvg" in doc)) problems.push(`${key}: only with namedLogo or logoSvg`);
  }
  if ("namedLogo" in doc && "logoSvg" in doc) problems.push("namedLogo and logoSvg: not both");
  return problems;
}
