// Paths in a test report made relative to the repository, so that links and annotations land on the
// tested commit's files. Julia prints the path it was given: the cluster's absolute path to the checkout
// (`/global/homes/u/user/Pkg/test/io.jl`), possibly through another mount point or a symbolic link than
// the one this process sees, or `~/...`. A path under the checkout loses the checkout's prefix; any other
// path maps to its longest suffix that is a file of the checkout; Julia's own files and installed packages
// never map. A result never contains "..".
import { realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, isAbsolute, join, posix, resolve } from "node:path";
import type { TestFailure } from "../contract/types.js";

/** Folders of Julia itself and of installed packages: a file there is never the repository's. */
const OUTSIDE =
  /\/(?:share\/julia|\.julia\/(?:packages|artifacts|compiled|juliaup|registries|scratchspaces))\//;
const MAX_PATH = 1024;

export class SourcePaths {
  private readonly roots: string[];
  private readonly name: string;
  private readonly home: string;
  private readonly files = new Map<string, boolean>();

  constructor(
    private readonly root: string,
    options: { home?: string } = {},
  ) {
    const absolute = resolve(root);
    let real = absolute;
    try {
      real = realpathSync(absolute);
    } catch {
      // a checkout that does not exist maps nothing by suffix, and prefixes still work
    }
    this.roots = [...new Set([absolute, real])];
    this.name = basename(absolute);
    this.home = options.home ?? homedir();
  }

  /** `path` relative to the checkout, or undefined when it is not a file of the repository. */
  relative(path: string): string | undefined {
    let p = path
      .trim()
      .replace(/^[A-Za-z]:\\/, "/")
      .replace(/\\/g, "/");
    if (p === "" || p === "none") return undefined;
    if (p === "~" || p.startsWith("~/")) p = `${this.home}${p.slice(1)}`;
    if (isAbsolute(p)) {
      const normal = posix.normalize(p);
      for (const root of this.roots) {
        if (normal.startsWith(`${root}/`)) return safe(normal.slice(root.length + 1));
      }
      if (OUTSIDE.test(normal)) return undefined;
      return this.bySuffix(normal.split("/"), 2);
    }
    const normal = posix.normalize(p);
    if (!normal.startsWith("../") && this.isFile(normal)) return safe(normal);
    return this.bySuffix(normal.split("/"), 2);
  }

  /** The failure with its path made relative; a path outside the repository moves into the message. */
  mapFailure(failure: TestFailure): TestFailure {
    if (!failure.file) return failure;
    const relative = this.relative(failure.file);
    if (relative) return { ...failure, file: relative };
    const { file, line, ...rest } = failure;
    const where = `at ${file}${line ? `:${line}` : ""}`;
    return { ...rest, message: rest.message ? `${where}\n${rest.message}` : where };
  }

  // The longest suffix that is a file of the checkout: at least `min` segments, or one segment when the
  // folder above it has the checkout's own name (a file at the root of a checkout mounted elsewhere).
  private bySuffix(segments: string[], min: number): string | undefined {
    const parts = segments.filter((s) => s !== "" && s !== ".");
    const up = parts.lastIndexOf("..");
    const tail = parts.slice(up + 1);
    for (let k = tail.length; k >= 1; k--) {
      if (k < min && !(k === 1 && tail[tail.length - 2] === this.name)) break;
      const candidate = tail.slice(tail.length - k).join("/");
      if (this.isFile(candidate)) return safe(candidate);
    }
    return undefined;
  }

  private isFile(relative: string): boolean {
    let known = this.files.get(relative);
    if (known === undefined) {
      try {
        known = statSync(join(this.root, relative)).isFile();
      } catch {
        known = false;
      }
      this.files.set(relative, known);
    }
    return known;
  }
}

function safe(relative: string): string | undefined {
  const segments = relative.split("/");
  if (relative === "" || relative.length > MAX_PATH || segments.some((s) => s === ".." || s === ""))
    return undefined;
  return relative;
}
