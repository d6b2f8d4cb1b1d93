// What a poll reads and decides, without git or Slurm: sacct's lines, ls-remote's refs, request ids, and the
// plan (which heads and tags get a request, which requests may be claimed). test/poll.test.ts runs it all.
import { describe, expect, it } from "vitest";
import type { HpcRequest } from "../src/contract/types.js";
import { archiveChanges, isDone } from "../src/poll/archive.js";
import { checkDocument } from "../src/contract/validate.js";
import { claimable, housekeeping } from "../src/poll/plan.js";
import { branchRequestId, tagRequestId } from "../src/poll/requests.js";
import { parseLsRemote } from "../src/poll/source-refs.js";
import { describeEnd, parseSacct } from "../src/slurm/index.js";

const REPOSITORY = "octo/example";

describe("what a poll reads", () => {
  it("sacct's parsable lines: the states that end a job, with the reason a reader is given", () => {
    const lines = [
      "42|TIMEOUT|0:0|None|2026-12-06T05:30:00|00:10:00",
      "43|CANCELLED by 1000|0:15|None|2026-12-06T05:31:00|00:00:07",
      "44|FAILED|2:0|None|2026-12-06T05:32:00|00:01:02",
      "45|NODE_FAIL|0:0|None|2026-12-06T05:33:00|00:03:00",
      "46|RUNNING|0:0|None|Unknown|00:00:09",
      "47|PENDING|0:0|Priority|Unknown|00:00:00",
    ].join("\n");
    const end = (id: string) => {
      const status = parseSacct(lines, id)!;
      return status.kind === "ended" ? describeEnd(id, status) : status.kind;
    };
    expect(end("42")).toBe("job 42 TIMEOUT after 00:10:00");
    expect(end("43")).toBe("job 43 CANCELLED by 1000 (signal 15) after 00:00:07");
    expect(end("44")).toBe("job 44 FAILED (exit code 2) after 00:01:02");
    expect(end("45")).toBe("job 45 NODE_FAIL after 00:03:00");
    expect(end("46")).toBe("active");
    expect(end("47")).toBe("active");
    expect(parseSacct(lines, "4")).toBeUndefined();
  });

  it("ls-remote: heads, the default branch, annotated tags by their commit, pull-request heads only", () => {
    const [a, b, c] = ["a".repeat(40), "b".repeat(40), "c".repeat(40)];
    const refs = parseLsRemote(
      [
        "ref: refs/heads/main\tHEAD",
        `${a}\tHEAD`,
        `${a}\trefs/heads/main`,
        `${b}\trefs/heads/feature/x`,
        `${c}\trefs/tags/v1.0`,
        `${a}\trefs/tags/v1.0^{}`,
        `${b}\trefs/pull/7/head`,
        `${c}\trefs/pull/7/merge`,
      ].join("\n"),
    );
    expect(refs.defaultBranch).toBe("main");
    expect([...refs.heads]).toEqual([
      ["main", a],
      ["feature/x", b],
    ]);
    expect([...refs.tags]).toEqual([["v1.0", a]]);
    expect([...refs.pulls]).toEqual([[7, b]]);
  });

  it("the plan: heads and matching tags without results or a request; claims oldest first, as the policy serves", () => {
    const [a, b, c] = ["a".repeat(40), "b".repeat(40), "c".repeat(40)];
    const policy = {
      branches: ["main", "dev", "release"],
      tags: "v*",
      pullRequests: false,
      maxJobs: 1,
      slurm: {},
      staleAfterSeconds: 3600,
      scope: "all" as const,
      workdir: "/nowhere",
      vanishedAfterSeconds: 600,
    };
    const at = "2026-12-06T05:00:00Z";
    const pr = (
      id: string,
      repository: string,
      source: HpcRequest["source"] = "pull_request",
    ): HpcRequest => ({
      schema_version: 1,
      id,
      source,
      what: "tests",
      commit: c,
      repository,
      ...(source === "pull_request" && { pull_request: 1 }),
      requested_at: at,
      state: "queued",
      updated_at: at,
    });
    const view = {
      policy,
      requests: [
        pr("pr-1", REPOSITORY),
        pr("branch-x", "someone/else", "branch"),
        pr("branch-y", REPOSITORY, "branch"),
        { ...pr("branch-old", REPOSITORY, "branch"), branch: "release", state: "running" as const },
      ],
      refs: {
        heads: new Map([
          ["main", a],
          ["dev", b],
          ["release", a],
        ]),
        tags: new Map([
          ["v1.0", a],
          ["nightly", b],
        ]),
        pulls: new Map([[1, c]]),
      },
      tested: new Set([b]),
      closed: new Set<string>(),
      repository: REPOSITORY,
      now: new Date("2026-12-06T05:10:00Z"),
      identity: "login1:42",
    };
    const created = housekeeping(view).map((change) => change.when(undefined, [])!);
    // dev's head has results; release's last run is still open; the tag "nightly" does not match v*.
    expect(created.map((r) => r.id)).toEqual([`branch-main-${a.slice(0, 12)}`, "tag-v1.0"]);
    for (const r of created) expect(checkDocument("hpc-request", r, `${r.id}.json`)).toEqual([]);
    // Pull requests are not served; another repository's request is not claimed.
    expect(claimable(view).map((r) => r.id)).toEqual(["branch-y"]);
    // A tag whose request ended and moved to requests-closed/ is never run again (known by its name alone).
    const again = housekeeping({ ...view, closed: new Set(["tag-v1.0"]) }).map((c) => c.when(undefined, [])!);
    expect(again.map((r) => r.id)).toEqual([`branch-main-${a.slice(0, 12)}`]);
  });

  it("moves a request to requests-closed/ once it has ended and nothing is left to do, as it was read", () => {
    const at = "2026-12-06T05:00:00Z";
    const r = (id: string, state: HpcRequest["state"], extra: Partial<HpcRequest> = {}): HpcRequest => ({
      schema_version: 1,
      id,
      source: "branch",
      what: "all",
      commit: "d".repeat(40),
      requested_at: at,
      state,
      updated_at: at,
      ...extra,
    });
    const requests = [
      r("queued", "queued"),
      r("running", "running", { job_id: "7" }),
      r("completed", "completed", { job_id: "8" }),
      r("failed", "failed"),
      r("superseded", "superseded"),
      r("stale", "stale"),
      r("cancelled-queued", "cancelled"),
      // Cancelled while its job ran: it stays until a poller has stopped the job.
      r("cancelled-running", "cancelled", { job_id: "9" }),
      r("cancelled-stopped", "cancelled", {
        job_id: "10",
        events: [{ state: "cancelled", at, reason: "job 10 stopped: scancel" }],
      }),
    ];
    expect(requests.filter(isDone).map((x) => x.id)).toEqual([
      "completed",
      "failed",
      "superseded",
      "stale",
      "cancelled-queued",
      "cancelled-stopped",
    ]);
    const [move] = archiveChanges([requests[2]!]);
    expect(move).toMatchObject({ id: "completed", archive: true });
    expect(move!.when(requests[2], [])).toBe(requests[2]);
    // Changed on the tip since it was read, or gone: re-decided, not moved.
    expect(move!.when({ ...requests[2]!, updated_at: "2026-12-06T06:00:00Z" }, [])).toBeUndefined();
    expect(move!.when(undefined, [])).toBeUndefined();
  });

  it("request ids for branch heads and tags stay one valid file name", () => {
    const sha = "0123456789abcdef".repeat(2) + "01234567";
    expect(branchRequestId("feature/x", sha)).toBe("branch-feature-x-0123456789ab");
    expect(branchRequestId("a".repeat(300), sha)).toMatch(/^branch-a+-0123456789ab$/);
    expect(branchRequestId("a".repeat(300), sha).length).toBeLessThanOrEqual(128);
    expect(tagRequestId("v1.0..2/rc 1")).toBe("tag-v1.0-2-rc-1");
  });
});
