// A real one-node Slurm cluster (Debian's slurmctld + slurmd + munge), started by the tests themselves.
// Everything lives in one temp dir: munge key/socket, slurm.conf, state, spool and logs, so nothing
// system-wide is needed or touched. Every process we start carries SLURM_CONF=<our conf> in its
// environment; that marker is how stop() (and the next run, after a crash) finds what to kill.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync } from "node:fs";
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { missingCommands } from "./system.js";

export interface SlurmCluster {
  /** Pass to sbatch/squeue/scontrol children: `{ ...process.env, ...cluster.env }`. */
  env: Record<string, string>;
  /** Temp dir holding everything (removed by stop()). */
  rootDir: string;
  /** Directory of slurm.conf (`env.SLURM_CONF` is `<confDir>/slurm.conf`). */
  confDir: string;
  /** slurmctld.log, slurmd.log, munged.log and the daemons' stdout/stderr. */
  logDir: string;
  clusterName: string;
  /** The default partition; it has a MaxTime of `maxTimeMinutes`. */
  partition: string;
  nodeName: string;
  cpus: number;
  realMemoryMb: number;
  maxTimeMinutes: number;
  ports: { slurmctld: number; slurmd: number };
  /** Wall time from startSlurm() to the node showing idle in sinfo. */
  startupMs: number;
  /** The last lines of every log, for error messages. */
  logTail(lines?: number): string;
  /** Cancels jobs, stops the daemons, kills what is left of ours and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export const SLURM_COMMANDS = ["slurmctld", "slurmd", "munged", "sbatch", "squeue", "sinfo", "scontrol"];

const CLUSTER_NAME = "hpcci-test";
const PARTITION = "debug";
const NODE_NAME = "localhost";
const MAX_TIME_MINUTES = 30;
const DIR_PREFIX = "hpcci-slurm-";
const READY_TIMEOUT_MS = 30_000;
const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** A reason to skip Slurm tests, or undefined. Throws under CI=true (like missingCommands). */
export function slurmSkipReason(): string | undefined {
  const missing = missingCommands(...SLURM_COMMANDS);
  if (missing) return missing;
  if (process.getuid?.() !== 0) {
    const reason = "the Slurm test cluster needs root (slurmd runs jobs, munged runs as user munge)";
    if (process.env.CI === "true") throw new Error(reason);
    console.warn(`skipping: ${reason}`);
    return reason;
  }
  return undefined;
}

// Kept on globalThis so that a second import of this module in the same process reuses the cluster.
const CACHE_KEY = Symbol.for("hpc-ci-actions.test.slurm");
type Cache = { [CACHE_KEY]?: Promise<SlurmCluster> };
const cache = globalThis as Cache;

/** Starts the cluster, or returns the one already running in this process. */
export function startSlurm(): Promise<SlurmCluster> {
  const running = cache[CACHE_KEY];
  if (running) return running;
  const starting = launch();
  cache[CACHE_KEY] = starting;
  // A failed start must not be cached: the next call tries again.
  starting.catch(() => {
    if (cache[CACHE_KEY] === starting) delete cache[CACHE_KEY];
  });
  return starting;
}

async function launch(): Promise<SlurmCluster> {
  const began = Date.now();
  removeStaleClusters();

  const rootDir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  chmodSync(rootDir, 0o755); // munged insists every directory above its socket is executable by all
  writeFileSync(join(rootDir, "owner.pid"), `${process.pid}\n`);
  const dirs = {
    conf: join(rootDir, "etc"),
    munge: join(rootDir, "munge"),
    state: join(rootDir, "state"),
    spool: join(rootDir, "spool"),
    log: join(rootDir, "log"),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const confPath = join(dirs.conf, "slurm.conf");
  const env = { SLURM_CONF: confPath };
  const children: ChildProcess[] = [];

  let stopped = false;
  const killNowSync = () => {
    if (stopped) return;
    stopped = true;
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    killMarkedProcesses(confPath);
    if (!process.env.HPCCI_KEEP_SLURM) rmSync(rootDir, { recursive: true, force: true });
  };
  // On exit, and on a terminating signal (after which Node runs no exit handlers), take everything down.
  // A SIGKILLed owner leaves the cluster behind; the next startSlurm() removes it (removeStaleClusters).
  const onSignal = (signal: NodeJS.Signals) => {
    killNowSync();
    // Die of the signal as we would have without this handler, unless someone else handles it.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const unhook = () => {
    process.removeListener("exit", killNowSync);
    for (const s of SIGNALS) process.removeListener(s, onSignal);
  };
  process.once("exit", killNowSync);
  for (const s of SIGNALS) process.once(s, onSignal);

  const logTail = (lines = 20) =>
    readdirSync(dirs.log)
      .map((f) => `--- ${f}\n${tail(join(dirs.log, f), lines)}`)
      .join("\n");

  try {
    const munge = startMunged(dirs.munge, dirs.log, env);
    children.push(munge.child);
    await waitFor(() => existsSync(munge.socket), 10_000, "munged socket", munge.child, logTail);

    const [ctldPort, slurmdPort] = await freePorts(2);
    const cpus = availableParallelism();
    // Below the real total so that slurmd never finds less than configured (which drains the node).
    const realMemoryMb = Math.max(256, Math.floor((totalmem() / 1024 / 1024) * 0.9));
    writeFileSync(
      confPath,
      slurmConf({
        rootDir,
        dirs,
        mungeSocket: munge.socket,
        ctldPort: ctldPort!,
        slurmdPort: slurmdPort!,
        cpus,
        realMemoryMb,
      }),
    );

    const childEnv = { ...process.env, ...env };
    children.push(daemon("slurmctld", ["-D", "-c", "-f", confPath], dirs.log, childEnv));
    children.push(daemon("slurmd", ["-D", "-N", NODE_NAME, "-f", confPath], dirs.log, childEnv));

    await waitFor(
      async () => (await run("sinfo", ["-h", "-n", NODE_NAME, "-o", "%t"], childEnv)).trim() === "idle",
      READY_TIMEOUT_MS,
      `node ${NODE_NAME} idle in sinfo`,
      undefined,
      logTail,
      children,
    );

    const cluster: SlurmCluster = {
      env,
      rootDir,
      confDir: dirs.conf,
      logDir: dirs.log,
      clusterName: CLUSTER_NAME,
      partition: PARTITION,
      nodeName: NODE_NAME,
      cpus,
      realMemoryMb,
      maxTimeMinutes: MAX_TIME_MINUTES,
      ports: { slurmctld: ctldPort!, slurmd: slurmdPort! },
      startupMs: Date.now() - began,
      logTail,
      stop: async () => {
        if (cache[CACHE_KEY] && (await cache[CACHE_KEY].catch(() => undefined)) === cluster) {
          delete cache[CACHE_KEY];
        }
        if (stopped) return;
        await cancelAllJobs(childEnv);
        // Slurm's daemons first (slurmctld saves state on SIGTERM), munged, which they talk to, last.
        const [munged, ...slurm] = children;
        await Promise.all(slurm.map((c) => terminate(c, 5_000)));
        if (munged) await terminate(munged, 5_000);
        killNowSync();
        unhook();
      },
    };
    return cluster;
  } catch (err) {
    killNowSync();
    unhook();
    throw err;
  }
}

interface ConfInput {
  rootDir: string;
  dirs: Record<"conf" | "munge" | "state" | "spool" | "log", string>;
  mungeSocket: string;
  ctldPort: number;
  slurmdPort: number;
  cpus: number;
  realMemoryMb: number;
}

function slurmConf(c: ConfInput): string {
  return `# Written by test/harness/slurm.ts for a throw-away one-node cluster.
ClusterName=${CLUSTER_NAME}
SlurmctldHost=${NODE_NAME}(127.0.0.1)
SlurmctldPort=${c.ctldPort}
SlurmdPort=${c.slurmdPort}
AuthType=auth/munge
AuthInfo=socket=${c.mungeSocket}
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=${c.dirs.state}
SlurmdSpoolDir=${c.dirs.spool}
SlurmctldPidFile=${c.rootDir}/slurmctld.pid
SlurmdPidFile=${c.rootDir}/slurmd.pid
SlurmctldLogFile=${c.dirs.log}/slurmctld.log
SlurmdLogFile=${c.dirs.log}/slurmd.log
MailProg=/bin/true
# No cgroups in containers: track processes by parentage, bind nothing.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=${Math.max(64, Math.floor(c.realMemoryMb / c.cpus))}
SchedulerType=sched/backfill
SlurmdParameters=config_overrides
ReturnToService=2
KillWait=5
# 0 = keep finished jobs' records (squeue -t all, scontrol show job) and lets sbatch --wait poll every 2 s.
MinJobAge=0
NodeName=${NODE_NAME} NodeAddr=127.0.0.1 CPUs=${c.cpus} RealMemory=${c.realMemoryMb} State=UNKNOWN
PartitionName=${PARTITION} Nodes=${NODE_NAME} Default=YES MaxTime=${MAX_TIME_MINUTES} DefaultTime=${MAX_TIME_MINUTES} State=UP
`;
}

function startMunged(mungeDir: string, logDir: string, env: Record<string, string>) {
  const owner = mungeUser();
  const key = join(mungeDir, "munge.key");
  const socket = join(mungeDir, "munge.socket");
  // A fresh 1024-bit key (what `mungekey -c` makes), readable only by munged's user.
  writeFileSync(key, randomBytes(128), { mode: 0o600 });
  if (owner) {
    chownSync(mungeDir, owner.uid, owner.gid);
    chownSync(key, owner.uid, owner.gid);
  }
  chmodSync(mungeDir, 0o755);
  const args = [
    "--foreground",
    `--socket=${socket}`,
    `--key-file=${key}`,
    `--pid-file=${join(mungeDir, "munged.pid")}`,
    `--log-file=${join(logDir, "munged.log")}`,
    `--seed-file=${join(mungeDir, "munged.seed")}`,
  ];
  // munged as root is refused unless forced; as user munge it is what Debian does.
  if (!owner) args.push("--force");
  // munged opens its log itself, as its user, in root's log dir: create the file for it.
  const log = join(logDir, "munged.log");
  writeFileSync(log, "", { mode: 0o640 });
  if (owner) chownSync(log, owner.uid, owner.gid);
  return { child: daemon("munged", args, logDir, { ...process.env, ...env }, owner), socket };
}

function mungeUser(): { uid: number; gid: number } | undefined {
  try {
    const line = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((l) => l.startsWith("munge:"));
    const [, , uid, gid] = line?.split(":") ?? [];
    return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined;
  } catch {
    return undefined;
  }
}

function daemon(
  command: string,
  args: string[],
  logDir: string,
  env: NodeJS.ProcessEnv,
  user?: { uid: number; gid: number },
): ChildProcess {
  const out = openSync(join(logDir, `${command}.out`), "a");
  try {
    const child = spawn(command, args, {
      env,
      stdio: ["ignore", out, out],
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    child.on("error", () => {}); // reported through waitFor's "exited" check and the .out log
    return child;
  } finally {
    closeSync(out);
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeout = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(" ")}: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

async function waitFor(
  ready: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  child: ChildProcess | undefined,
  logTail: () => string,
  watch: ChildProcess[] = child ? [child] : [],
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  for (;;) {
    const dead = watch.find((c) => c.exitCode !== null || c.signalCode !== null);
    if (dead)
      throw new Error(
        `${dead.spawnfile} exited (${dead.exitCode ?? dead.signalCode}) before ${what}\n${logTail()}`,
      );
    try {
      if (await ready()) return;
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (${lastError})` : ""}\n${logTail()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function freePorts(n: number): Promise<number[]> {
  // Hold all listeners open together so the n ports are distinct, then release them for the daemons.
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once("error", reject);
          s.listen(0, "127.0.0.1", () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const addr = s.address();
    if (addr === null || typeof addr === "string") throw new Error("no TCP port from listen(0)");
    return addr.port;
  });
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function cancelAllJobs(env: NodeJS.ProcessEnv): Promise<void> {
  try {
    const ids = (await run("squeue", ["-h", "-o", "%A"], env, 5_000)).split(/\s+/).filter(Boolean);
    if (ids.length === 0) return;
    await run("scancel", ids, env, 5_000);
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      const left = await run("squeue", ["-h", "-t", "PD,R,CG", "-o", "%A"], env, 5_000);
      if (left.trim() === "") return;
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch {
    // The daemons may already be gone; the process sweep below kills whatever remains.
  }
}

function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
    }, graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** SIGKILLs every process whose environment carries SLURM_CONF=<confPath>: daemons, slurmstepd, jobs. */
function killMarkedProcesses(confPath: string): number {
  const marker = Buffer.from(`SLURM_CONF=${confPath}\0`);
  let killed = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${entry}/environ`);
    } catch {
      continue; // gone, or a kernel thread
    }
    if (environ.indexOf(marker) === -1) continue;
    try {
      process.kill(Number(entry), "SIGKILL");
      killed++;
    } catch {
      // already exited
    }
  }
  return killed;
}

/** Clusters left behind by a test process that died without running its exit handler. */
function removeStaleClusters(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(join(dir, "owner.pid"), "utf8").trim());
    } catch {
      continue;
    }
    if (isAlive(owner)) continue;
    killMarkedProcesses(join(dir, "etc", "slurm.conf"));
    rmSync(dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(unreadable)";
  }
}
