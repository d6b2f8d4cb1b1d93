// The shape of .hpc-ci.json (schemas/hpc-ci-config.schema.json).
import type { Command } from "../process/run-command.js";

export interface HpcCiConfig {
  $schema?: string;
  cluster?: string;
  env?: Record<string, string>;
  tests?: { command?: Command; junit?: string; env?: Record<string, string>; timeout_minutes?: number };
  coverage?: { enabled?: boolean; dirs?: string[]; lcov?: string; flag?: string; codecov?: boolean };
  benchmarks?: {
    enabled?: boolean;
    commands?: Command[];
    results?: ResultsSourceConfig | ResultsSourceConfig[];
    env?: Record<string, string>;
    threshold_pct?: number;
    judge?: {
      floor_pct?: number;
      cap_pct?: number;
      min_history?: number;
      history_limit?: number;
      tolerance_pct?: number;
    };
    confirm?: boolean;
    baseline_branch?: string;
    reserve_minutes?: number;
    timeout_minutes?: number;
  };
  results?: { dir?: string; branch?: string; remote?: string; repository?: string; publish?: boolean };
  slurm?: SlurmSettings;
}

/** A results file, folder or glob, or one with the tool of a generic list. */
export type ResultsSourceConfig =
  string | { path: string; tool?: "customSmallerIsBetter" | "customBiggerIsBetter" };

export interface SlurmSettings {
  job_name?: string;
  partition?: string;
  account?: string;
  qos?: string;
  time?: string;
  nodes?: number;
  ntasks?: number;
  cpus_per_task?: number;
  mem?: string;
  gres?: string;
  constraint?: string;
  output?: string;
  extra?: string[];
  setup?: string[];
}
