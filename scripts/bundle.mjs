// Bundles each entry point into dist/<name>/index.js with @vercel/ncc (the files the runner and the
// cluster execute). Usage: node scripts/bundle.mjs [--check]  (--check: fail if dist/ is stale).
import { execFileSync, spawn } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const ENTRIES = {
  "ingest-hpc-results": "src/actions/ingest-hpc-results/index.ts",
  "render-badges": "src/actions/render-badges/index.ts",
  "comment-hpc-summary": "src/actions/comment-hpc-summary/index.ts",
  "request-hpc-run": "src/actions/request-hpc-run/index.ts",
  "hpc-ci": "src/cli/index.ts",
};
// render-badges and comment-hpc-summary are bundled as CommonJS: node's CommonJS loader starts their
// 1.7-2.4 MB bundles ~25-30 ms sooner than its ES module loader (bench/actions.bench.mjs), a tenth of
// their cold start. The others stay ES modules: the README tells users to copy the CLI under a .mjs
// name, and in CommonJS output webpack rewrites import.meta.url in @actions/artifact's crc64 module to
// a `require` that module shadows, which breaks ingest's artifact upload.
const COMMONJS = new Set(["render-badges", "comment-hpc-summary"]);

const check = process.argv.includes("--check");
// Compile with tsc first (type errors are reported by `npm run build`, not here), then bundle the
// JavaScript: ncc's own TypeScript loader would type-check every file on every entry.
const build = join(root, ".build");
rmSync(build, { recursive: true, force: true });
try {
  execFileSync(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
    { cwd: root, stdio: "pipe" },
  );
} catch {
  // Emitted anyway (noEmitOnError: false); `npm run build` shows the errors.
}
const outRoot = check ? mkdtempSync(join(tmpdir(), "hpc-ci-dist-")) : join(root, "dist");
const ncc = join(root, "node_modules/@vercel/ncc/dist/ncc/cli.js");

// The entries are independent: as many ncc processes at once as there are cores (24.2 s -> 19.6 s on two).
const queue = Object.entries(ENTRIES).filter(([, entry]) => existsSync(join(root, entry)));
const worker = async () => {
  for (let next = queue.shift(); next; next = queue.shift()) await bundle(...next);
};
await Promise.all(Array.from({ length: Math.min(availableParallelism(), queue.length) }, worker));

async function bundle(name, entry) {
  let compiled = join(build, entry.replace(/\.ts$/, ".js"));
  if (COMMONJS.has(name)) {
    // ncc writes the output format of its entry file: a .cjs entry that requires the real one.
    const wrapper = join(build, `${name}.cjs`);
    writeFileSync(wrapper, `require(${JSON.stringify(`./${relative(build, compiled)}`)});\n`);
    compiled = wrapper;
  }
  const out = join(outRoot, name);
  const fresh = `${out}.new`;
  rmSync(fresh, { recursive: true, force: true });
  await new Promise((resolve, reject) => {
    const args = [
      ncc,
      "build",
      compiled,
      "-o",
      fresh,
      "--quiet",
      "--no-source-map-register",
      "--license",
      "licenses.txt",
    ];
    spawn(process.execPath, args, { cwd: root, stdio: "inherit" })
      .on("error", reject)
      .on("close", (code) =>
        code === 0 ? resolve() : reject(new Error(`ncc failed on ${entry} (exit ${code})`)),
      );
  });
  if (COMMONJS.has(name)) {
    // action.yml names index.js; the package.json beside it overrides the repository's "type": "module".
    renameSync(join(fresh, "index.cjs"), join(fresh, "index.js"));
    writeFileSync(join(fresh, "package.json"), `{\n  "type": "commonjs"\n}\n`);
  }
  // Some bundled sources (color-name, via badge-maker) have CRLF line ends; git stores dist/ with LF
  // (.gitattributes), so the bundle is written with LF for a fresh build to equal a fresh checkout.
  for (const file of files(fresh)) {
    const path = join(fresh, file);
    const text = readFileSync(path, "utf8");
    if (text.includes("\r\n")) writeFileSync(path, text.replace(/\r\n/g, "\n"));
  }
  rmSync(out, { recursive: true, force: true });
  renameSync(fresh, out);
}

if (check) {
  const stale = diffTrees(outRoot, join(root, "dist"));
  rmSync(outRoot, { recursive: true, force: true });
  if (stale.length > 0) {
    console.error(
      `dist/ differs from a fresh bundle (run npm run bundle and commit):\n  ${stale.join("\n  ")}`,
    );
    process.exit(1);
  }
  console.log("dist/ matches a fresh bundle");
}

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

function diffTrees(fresh, committed) {
  const a = files(fresh);
  const b = files(committed);
  const all = [...new Set([...a, ...b])].sort();
  return all
    .filter((f) => {
      // ncc's third-party license notice does not come out byte-identical on every build (seen once in
      // several runs of the same tree); the code is compared exactly, the notice only for presence.
      if (f.endsWith("licenses.txt")) return !existsSync(join(fresh, f)) || !existsSync(join(committed, f));
      const x = join(fresh, f);
      const y = join(committed, f);
      if (!existsSync(x) || !existsSync(y)) return true;
      return !readFileSync(x).equals(readFileSync(y));
    })
    .map((f) => relative(root, join(committed, f)));
}
