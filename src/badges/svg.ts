// SVG badges made with Shields' own renderer (badge-maker), for readers who would rather not depend on
// shields.io: the same label, message and colour as the endpoint JSON beside them.
import { makeBadge } from "badge-maker";
import type { ShieldsEndpoint } from "../contract/types.js";

export const BADGE_STYLES = ["flat", "flat-square", "plastic", "for-the-badge", "social"] as const;
export type BadgeStyle = (typeof BADGE_STYLES)[number];

export function isBadgeStyle(value: string): value is BadgeStyle {
  return (BADGE_STYLES as readonly string[]).includes(value);
}

/** The endpoint as an SVG document; badge-maker escapes the text. */
export function badgeSvg(endpoint: ShieldsEndpoint, style: BadgeStyle = "flat"): string {
  const chosen = endpoint.style && isBadgeStyle(endpoint.style) ? endpoint.style : style;
  const svg = makeBadge({
    label: endpoint.label,
    message: endpoint.message,
    color: endpoint.color ?? "lightgrey",
    ...(endpoint.labelColor && { labelColor: endpoint.labelColor }),
    style: chosen,
  });
  return `${svg}\n`;
}
