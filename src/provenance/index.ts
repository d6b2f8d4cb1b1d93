// Provenance: the scheduler, job and allocation a run ran in, the runtimes' versions, and the
// walltime guard that keeps benchmarks from being killed at the job's time limit.
export type { CommandRunner, DetectOptions, Provenance } from "./detect.js";
export { cpusPerNode, defaultRunner, detectProvenance } from "./detect.js";
export type { Machine, MachineProbes } from "./machine.js";
export { cpuModel, detectMachine, juliaThreads, withFileEnvironment } from "./machine.js";
export { formatDuration, parsePbsTime, parseSlurmTime } from "./durations.js";
export { juliaVersion, nodeVersion, parseJuliaVersion, runtimeVersions } from "./versions.js";
export type { GuardInput, SkipDecision } from "./walltime.js";
export { shouldSkipBenchmarks, timeLeftSeconds } from "./walltime.js";
