// Users reach this project by one name and one moving major tag: `uses: hpc-ci-actions/hpc-ci-actions/...@v1`,
// raw files at the v1 tag, release assets of a v1.x.y release. This finds every other spelling (OWNER/...,
// another owner or tag, a SHA) in the files users copy from; test/release.test.ts and scripts/release.mjs use it.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export const CANONICAL_REPOSITORY = "hpc-ci-actions/hpc-ci-actions";
export const MAJOR_TAG = "v1";
const [OWNER, NAME] = CANONICAL_REPOSITORY.split("/");

/** Files and folders (relative to the repository root) whose references users copy. */
export const SCANNED = ["README.md", "docs", "examples", "templates", ".github/workflows", "actions"];
const TEXT = /\.(md|ya?ml|sbatch|sh|json|txt)$/;

/** Every scanned file, relative to root, sorted. */
export function scannedFiles(root) {
  const out = [];
  const walk = (rel) => {
    const abs = join(root, rel);
    if (!existsSync(abs)) return;
    if (statSync(abs).isDirectory()) {
      for (const name of readdirSync(abs).sort()) walk(join(rel, name));
    } else if (TEXT.test(rel)) out.push(rel);
  };
  for (const rel of SCANNED) walk(rel);
  return out.sort();
}

// What `uses:` points at when it means this project: its actions or its reusable workflow.
const PROJECT_PATH =
  /^(actions\/(ingest-hpc-results|render-badges|comment-hpc-summary)|\.github\/workflows\/hpc-results\.yml)$/;
const USES = /^\s*(?:-\s+)?uses:\s*["']?([^\s"'#]+)/;
const URL =
  /https?:\/\/(github\.com|raw\.githubusercontent\.com)\/([^/\s"'`<>()]+)\/([^/\s"'`<>()]+?)(?:\.git)?(?=[/\s"'`<>()]|$)(\/[^\s"'`<>()]*)?/g;

/**
 * The problems of one file's text: each a line number, the offending reference and why.
 * @param {string} text
 * @param {string} major the major tag every reference must use ("v1")
 * @returns {{ line: number, reference: string, reason: string }[]}
 */
export function referenceProblems(text, major = MAJOR_TAG) {
  const problems = [];
  text.split("\n").forEach((lineText, i) => {
    const line = i + 1;
    const uses = USES.exec(lineText)?.[1];
    if (uses && !uses.startsWith("./") && !uses.startsWith("docker://")) {
      const m = /^([^/@]+)\/([^/@]+)\/?([^@]*)@(.+)$/.exec(uses);
      const ours = m && (m[2] === NAME || m[1] === "OWNER" || PROJECT_PATH.test(m[3] ?? ""));
      if (ours) {
        const expected = `${CANONICAL_REPOSITORY}/${m[3]}@${major}`;
        if (uses !== expected) problems.push({ line, reference: uses, reason: `must be ${expected}` });
      }
    }
    for (const url of lineText.matchAll(URL)) {
      const [whole, host, owner, repo, rest = ""] = url;
      if (repo !== NAME) continue;
      if (owner !== OWNER) {
        problems.push({ line, reference: whole, reason: `the owner must be ${OWNER}` });
        continue;
      }
      const why = refProblem(host, rest, major);
      if (why) problems.push({ line, reference: whole, reason: why });
    }
    if (/\bOWNER\/hpc-ci-actions\b/.test(lineText) && !problems.some((p) => p.line === line))
      problems.push({ line, reference: "OWNER/hpc-ci-actions", reason: `must be ${CANONICAL_REPOSITORY}` });
  });
  return problems;
}

// The ref inside a URL of this repository: raw files and trees at the major tag, release assets of a release
// of that major (an exact version: a downloaded file is pinned).
function refProblem(host, rest, major) {
  const parts = rest.split("/").filter(Boolean);
  let ref;
  let release = false;
  if (host === "raw.githubusercontent.com") ref = parts[0];
  else if (["blob", "tree", "raw"].includes(parts[0] ?? "")) ref = parts[1];
  else if (parts[0] === "releases" && (parts[1] === "download" || parts[1] === "tag")) {
    ref = parts[2];
    release = true;
  } else return undefined;
  if (release) {
    const escaped = major.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`^${escaped}\\.\\d+\\.\\d+$`).test(ref ?? "")
      ? undefined
      : `a release asset must name a ${major}.x.y release, not ${ref}`;
  }
  return ref === major ? undefined : `must be at the ${major} tag, not ${ref}`;
}

/** Problems in every scanned file under root: "file:line: reference: reason" lines. */
export function checkReferences(root, major = MAJOR_TAG) {
  const out = [];
  for (const file of scannedFiles(root)) {
    for (const p of referenceProblems(readFileSync(join(root, file), "utf8"), major)) {
      out.push(`${relative(root, join(root, file))}:${p.line}: ${p.reference}: ${p.reason}`);
    }
  }
  return out;
}

/** The reusable workflow, whose own action references the release pins (issues 13 and 15). */
export const REUSABLE_WORKFLOW = ".github/workflows/hpc-results.yml";

/**
 * The reusable workflow's references to this project's actions, pinned to `sha` (the release's source
 * commit) with the version as a comment: a caller of `...hpc-results.yml@v1` then runs exactly the actions of
 * that release, even if the v1 tag of the actions is moved meanwhile. Other lines are left as they are.
 * @param {string} text
 * @param {string} sha 40 hex digits
 * @param {string} tag "vX.Y.Z"
 */
export function pinOwnReferences(text, sha, tag) {
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`not a full commit SHA: ${sha}`);
  const own = new RegExp(
    `^(\\s*(?:-\\s+)?uses:\\s*${CANONICAL_REPOSITORY}/actions/[a-z-]+)@${MAJOR_TAG}\\s*$`,
    "gm",
  );
  return text.replace(own, `$1@${sha} # ${tag}`);
}
