// A release users can `uses:`: one name (hpc-ci-actions/hpc-ci-actions) and one major tag (v1) in every
// reference they copy, and scripts/release.mjs, run on a real clone with a bare origin, refuses what is not
// releasable, tags vX.Y.Z, moves vX on the next release, and writes the CLI with its checksum.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import {
  CANONICAL_REPOSITORY,
  checkReferences,
  MAJOR_TAG,
  referenceProblems,
  scannedFiles,
} from "../scripts/release-refs.mjs";
import { REPO_ROOT } from "./harness/run-action.js";
import { scratchDir } from "./harness/scratch.js";

describe("references users copy", () => {
  it("name this project one way in the workflows, examples, templates, README and docs", () => {
    const files = scannedFiles(REPO_ROOT);
    for (const f of [
      "README.md",
      ".github/workflows/hpc-results.yml",
      "examples/workflows/hpc-results.yml",
      "templates/gitlab/hpc-ci.gitlab-ci.yml",
      "templates/slurm/hpc-ci.sbatch",
      "docs/render-badges.md",
    ])
      expect(files).toContain(f);
    expect(checkReferences(REPO_ROOT)).toEqual([]);
  });

  it("notice every other spelling: OWNER, another owner, another tag, a SHA, a branch", () => {
    const text = [
      "uses: OWNER/hpc-ci-actions/actions/render-badges@v1",
      "  - uses: hpc-ci-actions/hpc-ci-actions/actions/ingest-hpc-results@v2",
      "    uses: hpc-ci-actions/hpc-ci-actions/actions/comment-hpc-summary@1a2b3c4",
      "    uses: someone/hpc-ci-actions/.github/workflows/hpc-results.yml@v1",
      "    uses: OWNER/REPO/.github/workflows/hpc-results.yml@v1",
      "    uses: hpc-ci-actions/hpc-ci-actions/actions/render-badges@main",
      "see https://raw.githubusercontent.com/hpc-ci-actions/hpc-ci-actions/main/templates/x.yml",
      "get https://github.com/hpc-ci-actions/hpc-ci-actions/releases/download/v2.0.0/hpc-ci.mjs",
      "or https://github.com/OWNER/hpc-ci-actions/blob/v1/README.md",
      "or `OWNER/hpc-ci-actions`",
    ].join("\n");
    expect(referenceProblems(text).map((p) => p.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const fine = [
      `uses: ${CANONICAL_REPOSITORY}/actions/render-badges@${MAJOR_TAG}`,
      `    uses: ${CANONICAL_REPOSITORY}/.github/workflows/hpc-results.yml@${MAJOR_TAG} # the release`,
      "  - uses: actions/checkout@08eba0b27e820071cde6df949e0beb9ba4906955 # v4.3.0",
      "  - uses: ./actions/ingest-hpc-results",
      `https://raw.githubusercontent.com/${CANONICAL_REPOSITORY}/${MAJOR_TAG}/templates/gitlab/hpc-ci.gitlab-ci.yml`,
      `https://github.com/${CANONICAL_REPOSITORY}/releases/download/${MAJOR_TAG}.0.0/hpc-ci.mjs`,
      `https://github.com/${CANONICAL_REPOSITORY}/releases`,
      "https://github.com/cjprybol/Mycelia",
    ].join("\n");
    expect(referenceProblems(fine)).toEqual([]);
  });

  it("include the reusable workflow's own action references, all at the same release", () => {
    const workflow = parseYaml(
      readFileSync(join(REPO_ROOT, ".github/workflows/hpc-results.yml"), "utf8"),
    ) as { jobs: Record<string, { steps?: Array<{ uses?: string }> }> };
    const ours = Object.values(workflow.jobs)
      .flatMap((job) => job.steps ?? [])
      .map((step) => step.uses ?? "")
      .filter((uses) => uses.includes("/actions/") && !uses.startsWith("actions/"));
    expect(new Set(ours.map((u) => u.split("/actions/")[1]!.split("@")[0]))).toEqual(
      new Set(["ingest-hpc-results", "render-badges", "comment-hpc-summary", "request-hpc-run"]),
    );
    for (const uses of ours)
      expect(uses).toMatch(new RegExp(`^${CANONICAL_REPOSITORY}/actions/[a-z-]+@${MAJOR_TAG}$`));
  });

  it("never put a token inside a URL", () => {
    for (const file of scannedFiles(REPO_ROOT)) {
      const text = readFileSync(join(REPO_ROOT, file), "utf8");
      expect(text, file).not.toMatch(/x-access-token:[^\s'"]*@/);
      expect(text, file).not.toMatch(/https:\/\/[^\s/@]+:[^\s/@]+@github\.com/);
    }
  });
});

describe("scripts/release.mjs", () => {
  // The working tree as it is now, committed in a clone of a bare origin (what a maintainer releases from).
  function cloneWithOrigin() {
    const base = scratchDir("release-");
    const stage = join(base, "stage");
    const origin = join(base, "origin.git");
    const work = join(base, "work");
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    })
      .split("\0")
      .filter((f) => f && f !== "node_modules" && f !== ".cache");
    execFileSync("git", ["init", "-q", "-b", "main", stage]);
    execFileSync("tar", ["-cf", join(base, "tree.tar"), "--null", "-T", "-"], {
      cwd: REPO_ROOT,
      input: files.join("\0"),
    });
    execFileSync("tar", ["-xf", join(base, "tree.tar"), "-C", stage]);
    const id = ["-c", "user.name=Maintainer", "-c", "user.email=maintainer@example.com"];
    execFileSync("git", [...id, "-C", stage, "add", "-A"]);
    execFileSync("git", [...id, "-C", stage, "commit", "-q", "-m", "snapshot"]);
    execFileSync("git", ["init", "-q", "--bare", "-b", "main", origin]);
    execFileSync("git", ["-C", stage, "push", "-q", origin, "main"]);
    execFileSync("git", ["clone", "-q", origin, work]);
    execFileSync("git", ["-C", work, "config", "user.name", "Maintainer"]);
    execFileSync("git", ["-C", work, "config", "user.email", "maintainer@example.com"]);
    symlinkSync(join(REPO_ROOT, "node_modules"), join(work, "node_modules"));
    const git = (...args: string[]) =>
      execFileSync("git", ["-C", work, ...args], { encoding: "utf8" }).trim();
    const release = (...args: string[]) =>
      spawnSync(process.execPath, ["scripts/release.mjs", ...args], { cwd: work, encoding: "utf8" });
    /** Sets the version everywhere a release checks it, rebundles (the CLI embeds it) and commits. */
    const prepare = (version: string, { bundle = true } = {}) => {
      const pkg = JSON.parse(readFileSync(join(work, "package.json"), "utf8"));
      writeFileSync(join(work, "package.json"), `${JSON.stringify({ ...pkg, version }, null, 2)}\n`);
      const versionTs = join(work, "src/cli/version.ts");
      writeFileSync(
        versionTs,
        readFileSync(versionTs, "utf8").replace(/VERSION = "[^"]+"/, `VERSION = "${version}"`),
      );
      const changelog = join(work, "CHANGELOG.md");
      const entry = `## ${version}\n\n- Release ${version}.\n\n## `;
      writeFileSync(changelog, readFileSync(changelog, "utf8").replace(/^## /m, entry));
      if (bundle) execFileSync(process.execPath, ["scripts/bundle.mjs"], { cwd: work, stdio: "ignore" });
      git("add", "-A");
      git("commit", "-q", "-m", `Release ${version}`);
      git("push", "-q", "origin", "main");
    };
    const remoteTags = () =>
      Object.fromEntries(
        git("ls-remote", "--tags", "origin")
          .split("\n")
          .filter((l) => l.endsWith("^{}"))
          .map((l) => {
            const [sha, ref] = l.split("\t");
            return [ref!.replace("refs/tags/", "").replace("^{}", ""), sha];
          }),
      );
    return { work, git, release, prepare, remoteTags };
  }

  it("refuses a dirty tree, a version mismatch, a wrong reference and a stale dist/; tags (the workflow pinned) and moves vX", () => {
    const r = cloneWithOrigin();
    r.prepare("1.0.0");
    const v100 = r.git("rev-parse", "HEAD");

    writeFileSync(join(r.work, "README.md"), "changed\n");
    let run = r.release("1.0.0", "--push");
    expect([run.status, run.stderr]).toEqual([2, expect.stringContaining("the working tree has changes")]);
    r.git("checkout", "README.md");

    run = r.release("1.0.1", "--push");
    expect([run.status, run.stderr]).toEqual([
      2,
      expect.stringContaining("package.json says 1.0.0, not 1.0.1"),
    ]);

    const doc = join(r.work, "docs/render-badges.md");
    writeFileSync(
      doc,
      `${readFileSync(doc, "utf8")}\n    uses: OWNER/hpc-ci-actions/actions/render-badges@v1\n`,
    );
    r.git("commit", "-qam", "a copied example");
    run = r.release("1.0.0", "--push");
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /docs\/render-badges\.md:\d+: OWNER\/hpc-ci-actions\/actions\/render-badges@v1/,
    );
    r.git("reset", "-q", "--hard", v100);
    expect(r.remoteTags()).toEqual({});

    run = r.release("1.0.0", "--push");
    expect(run.status, run.stderr).toBe(0);
    // The tagged commit is HEAD plus one change: the reusable workflow's own actions pinned to HEAD's SHA.
    const r100 = r.remoteTags()["v1.0.0"]!;
    expect(r.remoteTags()).toEqual({ v1: r100, "v1.0.0": r100 });
    expect(r.git("rev-parse", `${r100}^`)).toBe(v100);
    expect(r.git("diff", "--name-only", v100, r100)).toBe(".github/workflows/hpc-results.yml");
    expect(r.git("rev-parse", "HEAD")).toBe(v100); // the branch and working tree keep @v1
    expect(r.git("ls-remote", "origin", "refs/heads/main").split("\t")[0]).toBe(v100);
    const pinned = r.git("show", `${r100}:.github/workflows/hpc-results.yml`);
    const own = pinned.split("\n").filter((l) => l.includes(`${CANONICAL_REPOSITORY}/actions/`));
    expect(own.length).toBeGreaterThanOrEqual(5);
    for (const line of own) expect(line).toMatch(new RegExp(`/actions/[a-z-]+@${v100} # v1\\.0\\.0$`));
    // What users copy still says @v1.
    expect(r.git("show", `${r100}:README.md`)).toContain(
      `${CANONICAL_REPOSITORY}/.github/workflows/hpc-results.yml@v1`,
    );
    // The CLI asset and a checksum sha256sum -c accepts.
    const assets = join(r.work, "release-assets/v1.0.0");
    expect(
      readFileSync(join(assets, "hpc-ci.mjs")).equals(readFileSync(join(r.work, "dist/hpc-ci/index.js"))),
    ).toBe(true);
    expect(execFileSync("sha256sum", ["-c", "hpc-ci.mjs.sha256"], { cwd: assets, encoding: "utf8" })).toBe(
      "hpc-ci.mjs: OK\n",
    );
    expect(r.release("1.0.0", "--push").stderr).toContain("v1.0.0 exists already");

    // The next release: forgetting to rebundle is refused (the CLI embeds its version), then v1 moves.
    r.prepare("1.0.1", { bundle: false });
    run = r.release("1.0.1", "--push");
    expect([run.status, run.stderr]).toEqual([
      2,
      expect.stringContaining("dist/ is not what the sources bundle to"),
    ]);
    execFileSync(process.execPath, ["scripts/bundle.mjs"], { cwd: r.work, stdio: "ignore" });
    r.git("commit", "-qam", "rebundle");
    const v101 = r.git("rev-parse", "HEAD");
    run = r.release("1.0.1", "--push");
    expect(run.status, run.stderr).toBe(0);
    const r101 = r.remoteTags()["v1.0.1"]!;
    expect(r.remoteTags()).toEqual({ v1: r101, "v1.0.0": r100, "v1.0.1": r101 });
    expect(r.git("rev-parse", `${r101}^`)).toBe(v101);
    expect(r.git("show", `${r101}:.github/workflows/hpc-results.yml`)).toContain(`@${v101} # v1.0.1`);
  }, 600_000);
});
