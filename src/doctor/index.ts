// `hpc-ci doctor`: checks, in seconds and side by side, what a publish from this node needs, and says
// for each failure what to do.
import { type CheckResult, type DoctorTarget, fail, ok } from "./check.js";
import { checkClock, checkToken } from "./api-checks.js";
import { checkGit, checkPush, checkRemote } from "./git-checks.js";

export type { CheckResult, DoctorTarget } from "./check.js";

/** The oldest Node.js the CLI runs on. */
const NODE_MAJOR = 18;

export function checkNode(version = process.versions.node): CheckResult {
  const major = Number(version.split(".")[0]);
  return major >= NODE_MAJOR
    ? ok("node", `${version} (${NODE_MAJOR} or newer is needed)`)
    : fail(
        "node",
        `${version} is too old`,
        `use Node.js ${NODE_MAJOR} or newer (\`module load nodejs\`, or a binary from nodejs.org)`,
      );
}

export async function runDoctor(target: DoctorTarget): Promise<CheckResult[]> {
  const gitVersion = checkGit(target);
  const token = checkToken(target);
  const remote = checkRemote(target);
  // A push is only worth asking about when the remote can be read at all.
  const push = remote.then((r) => (r[0]!.state === "ok" ? checkPush(target) : undefined));
  const clock = token.then((t) => checkClock(target, t.answer));
  const [readable, pushable] = await Promise.all([remote, push]);
  return [
    checkNode(),
    await gitVersion,
    ...readable,
    ...(pushable ? [pushable] : []),
    (await token).result,
    await clock,
  ];
}

const LABEL: Record<CheckResult["state"], string> = { ok: "ok", fail: "FAIL", skip: "--" };

export function formatReport(results: CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  const lines: string[] = [];
  for (const r of results) {
    const [first, ...more] = r.detail.split("\n");
    lines.push(`  ${LABEL[r.state].padEnd(4)}  ${r.name.padEnd(width)}  ${first}`);
    const indent = " ".repeat(width + 10);
    for (const line of more) lines.push(`${indent}${line}`);
    if (r.fix) lines.push(`${indent}fix: ${r.fix}`);
  }
  const failed = results.filter((r) => r.state === "fail").length;
  lines.push(failed === 0 ? "All checks passed." : `${failed} check(s) failed.`);
  return `${lines.join("\n")}\n`;
}
