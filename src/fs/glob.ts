// A small glob for Node 18, which has no fs.glob: `*` and `?` match within one path segment (not a
// leading dot, as in a shell), `**` matches any number of directories (not dot directories). A
// wildcard never leads into a linked directory, so a walk cannot loop; a linked file matches. The
// walk is bounded: `/**/*.json` stops after MAX_VISITED entries and says so, not reading the disk.
import { type Dirent, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, resolve, sep } from "node:path";

export const MAX_VISITED = 100_000;

export interface GlobResult {
  /** Absolute paths of the matching files (and only files), sorted. */
  files: string[];
  /** The walk stopped at MAX_VISITED entries. */
  truncated: boolean;
}

/** Whether `pattern` has a wildcard (`*` or `?`); other characters are literal. */
export function hasWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/** One path segment's pattern as a regular expression; `**` is handled by the walk. */
export function segmentMatcher(segment: string): RegExp {
  const body = [...segment]
    .map((c) => (c === "*" ? "[^/]*" : c === "?" ? "[^/]" : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  const dotSafe = segment.startsWith(".") ? "" : "(?!\\.)";
  return new RegExp(`^${dotSafe}${body}$`, "s");
}

/** The files matching `pattern`, relative to `cwd` unless absolute. */
export function glob(pattern: string, cwd: string): GlobResult {
  const absolute = isAbsolute(pattern) ? pattern : resolve(cwd, pattern);
  const segments = absolute.split(sep).filter((s, i) => s !== "" || i === 0);
  // The literal start of the pattern is where the walk begins.
  let first = segments.findIndex(hasWildcard);
  if (first === -1) first = segments.length;
  const base = segments.slice(0, first).join(sep) || sep;
  const rest = segments.slice(first);
  if (rest[rest.length - 1] === "**") rest.push("*"); // `a/**` is taken as `a/**/*`
  const found = new Set<string>();
  let visited = 0;
  let truncated = false;

  const list = (dir: string): Dirent[] => {
    if (truncated) return [];
    try {
      const entries = readdirSync(dir, { withFileTypes: true });
      visited += entries.length;
      if (visited > MAX_VISITED) truncated = true;
      return entries;
    } catch {
      return []; // a missing or unreadable folder matches nothing
    }
  };
  // Iterative depth-first walk over (folder, index of the next pattern segment).
  const stack: Array<[string, number]> = [[base, 0]];
  const seen = new Set<string>();
  while (stack.length > 0 && !truncated) {
    const [dir, i] = stack.pop() as [string, number];
    const key = `${i}\0${dir}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const segment = rest[i];
    if (segment === undefined) continue;
    if (segment === "**") {
      stack.push([dir, i + 1]); // zero folders
      for (const entry of list(dir)) {
        if (entry.isDirectory() && !entry.name.startsWith(".")) stack.push([join(dir, entry.name), i]);
      }
      continue;
    }
    const last = i === rest.length - 1;
    const match = segmentMatcher(segment);
    for (const entry of list(dir)) {
      if (!match.test(entry.name)) continue;
      const path = join(dir, entry.name);
      if (last) {
        if (entry.isFile() || (entry.isSymbolicLink() && isFileFollowed(path))) found.add(path);
      } else if (entry.isDirectory()) stack.push([path, i + 1]);
    }
  }
  return { files: [...found].sort(), truncated };
}

function isFileFollowed(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
