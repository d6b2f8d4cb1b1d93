// One check of `hpc-ci doctor`: what was found, and for a failure, what to do about it.

export type CheckState = "ok" | "fail" | "skip";

export interface CheckResult {
  name: string;
  state: CheckState;
  /** What was found, one line (more lines for git's own words). */
  detail: string;
  /** For a failure: a concrete next step. */
  fix?: string;
}

/** Everything a check needs to know about where results go. */
export interface DoctorTarget {
  /** URL or path of the results repository (never printed unredacted). */
  url: string;
  branch: string;
  token?: string;
  /** "owner/repo" on GitHub, when known. */
  repository?: string;
  apiUrl: string;
  env: NodeJS.ProcessEnv;
  /** Per network operation. */
  timeoutMs: number;
}

export const ok = (name: string, detail: string): CheckResult => ({ name, state: "ok", detail });
export const skip = (name: string, detail: string): CheckResult => ({ name, state: "skip", detail });
export const fail = (name: string, detail: string, fix: string): CheckResult => ({
  name,
  state: "fail",
  detail,
  fix,
});

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
