// Release: tags vX.Y.Z at HEAD (which must be clean, on main, with dist/ matching a fresh bundle and a
// CHANGELOG entry for the version) and moves the major tag vX to it, so `uses: ...@v1` follows releases.
// Usage: node scripts/release.mjs X.Y.Z [--push] [--remote origin]
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const version = args.find((a) => !a.startsWith("--"));
const push = args.includes("--push");
const remote = args.includes("--remote") ? args[args.indexOf("--remote") + 1] : "origin";
const git = (...a) => execFileSync("git", a, { cwd: root, encoding: "utf8" }).trim();

function fail(message) {
  console.error(`release: ${message}`);
  process.exit(2);
}

if (!version || !/^\d+\.\d+\.\d+$/.test(version)) fail("give the version as X.Y.Z");
if (git("status", "--porcelain", "--untracked-files=no") !== "")
  fail("the working tree has changes; commit them first");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
if (pkg.version !== version) fail(`package.json says ${pkg.version}, not ${version}`);
if (!readFileSync(join(root, "CHANGELOG.md"), "utf8").includes(`## ${version}`))
  fail(`CHANGELOG.md has no "## ${version}" entry`);
try {
  execFileSync(process.execPath, [join(root, "scripts/bundle.mjs"), "--check"], {
    cwd: root,
    stdio: "inherit",
  });
} catch {
  fail("dist/ is not what the sources bundle to (see above); run npm run bundle and commit");
}

const tag = `v${version}`;
const major = `v${version.split(".")[0]}`;
if (git("tag", "--list", tag) !== "") fail(`${tag} exists already`);
git("tag", "-a", tag, "-m", `hpc-ci-actions ${tag}`);
git("tag", "-f", "-a", major, "-m", `hpc-ci-actions ${tag}`, `${tag}^{commit}`);
console.log(`tagged ${tag} and moved ${major} to ${git("rev-parse", "--short", "HEAD")}`);
if (push) {
  git("push", remote, tag);
  git("push", "--force", remote, major);
  console.log(`pushed ${tag} and ${major} to ${remote}`);
} else console.log(`push with: git push ${remote} ${tag} && git push --force ${remote} ${major}`);
