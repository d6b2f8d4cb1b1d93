// Release: tags vX.Y.Z and moves the major tag vX to it, so `uses: ...@v1` follows releases, after
// checking that HEAD is what users would get: a clean tree, package.json and the CLI at version X.Y.Z, a
// CHANGELOG entry, every reference users copy spelled hpc-ci-actions/hpc-ci-actions/...@vX, and dist/
// equal to a fresh bundle. The tagged commit is a child of HEAD that changes one file: the reusable
// workflow's own action references pinned to HEAD's full SHA (`@<sha> # vX.Y.Z`; a commit cannot name its
// own SHA, and HEAD's actions and dist/ are the tagged commit's), so a caller of the workflow at any tag
// runs that release's actions even if a tag moves. The branch keeps @vX. It also writes the CLI release
// assets (hpc-ci.mjs and its .sha256).
// Usage: node scripts/release.mjs X.Y.Z [--push] [--remote origin] [--assets DIR]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeCliAsset } from "./cli-asset.mjs";
import { checkReferences, MAJOR_TAG, pinOwnReferences, REUSABLE_WORKFLOW } from "./release-refs.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const version = args.find(
  (a, i) => !a.startsWith("--") && !["--remote", "--assets"].includes(args[i - 1] ?? ""),
);
const push = args.includes("--push");
const remote = option("--remote", "origin");
const git = (...a) =>
  execFileSync("git", a, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

function fail(message) {
  console.error(`release: ${message}`);
  process.exit(2);
}

if (!version || !/^\d+\.\d+\.\d+$/.test(version)) fail("give the version as X.Y.Z");
const tag = `v${version}`;
const major = `v${version.split(".")[0]}`;
const assets = resolve(root, option("--assets", join("release-assets", tag)));

if (git("status", "--porcelain", "--untracked-files=no") !== "")
  fail("the working tree has changes; commit them first");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
if (pkg.version !== version) fail(`package.json says ${pkg.version}, not ${version}`);
const cliVersion = /VERSION = "([^"]+)"/.exec(readFileSync(join(root, "src/cli/version.ts"), "utf8"))?.[1];
if (cliVersion !== version) fail(`src/cli/version.ts says ${cliVersion}, not ${version}`);
if (!readFileSync(join(root, "CHANGELOG.md"), "utf8").includes(`## ${version}`))
  fail(`CHANGELOG.md has no "## ${version}" entry`);
if (major !== MAJOR_TAG)
  fail(
    `the references are written for ${MAJOR_TAG}; a ${major} release moves MAJOR_TAG in scripts/release-refs.mjs first`,
  );
const wrong = checkReferences(root, major);
if (wrong.length > 0)
  fail(`references that do not use hpc-ci-actions/hpc-ci-actions@${major}:\n  ${wrong.join("\n  ")}`);
if (git("tag", "--list", tag) !== "") fail(`${tag} exists already`);
if (push && git("ls-remote", "--tags", remote, `refs/tags/${tag}`) !== "")
  fail(`${tag} exists on ${remote} already`);
try {
  execFileSync(process.execPath, [join(root, "scripts/bundle.mjs"), "--check"], {
    cwd: root,
    stdio: "inherit",
  });
} catch {
  fail("dist/ is not what the sources bundle to (see above); run npm run bundle and commit");
}

const released = pinnedCommit(git("rev-parse", "HEAD"));
git("tag", "-a", tag, "-m", `hpc-ci-actions ${tag}`, released);
git("tag", "-f", "-a", major, "-m", `hpc-ci-actions ${tag}`, `${tag}^{commit}`);
console.log(`tagged ${tag} and moved ${major} to ${released.slice(0, 12)} (HEAD with the workflow pinned)`);
const cli = writeCliAsset(join(root, "dist/hpc-ci/index.js"), assets);
console.log(`release assets: ${cli.file} and ${cli.checksumFile} (sha256 ${cli.sha256})`);
if (push) {
  git("push", remote, `refs/tags/${tag}`);
  git("push", "--force", remote, `refs/tags/${major}`);
  console.log(`pushed ${tag} and ${major} to ${remote}`);
} else console.log(`push with: git push ${remote} ${tag} && git push --force ${remote} ${major}`);
console.log(`then: gh release create ${tag} ${cli.file} ${cli.checksumFile} --notes-from-tag`);

// The release commit, made without touching the working tree or the branch: HEAD's tree with the reusable
// workflow pinned to `source`, committed through a scratch index.
function pinnedCommit(source) {
  const pinned = pinOwnReferences(git("show", `${source}:${REUSABLE_WORKFLOW}`), source, tag);
  const blob = execFileSync("git", ["hash-object", "-w", "--stdin"], {
    cwd: root,
    input: `${pinned}\n`,
    encoding: "utf8",
  }).trim();
  const index = join(mkdtempSync(join(tmpdir(), "release-index-")), "index");
  const withIndex = (...a) =>
    execFileSync("git", a, {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, GIT_INDEX_FILE: index },
    }).trim();
  try {
    withIndex("read-tree", source);
    withIndex("update-index", "--cacheinfo", `100644,${blob},${REUSABLE_WORKFLOW}`);
    const tree = withIndex("write-tree");
    return git(
      "commit-tree",
      tree,
      "-p",
      source,
      "-m",
      `Release ${tag}: the reusable workflow's actions pinned to ${source}`,
    );
  } finally {
    rmSync(dirname(index), { recursive: true, force: true });
  }
}
