// The library under request-hpc-run: the /hpc commands, the request lifecycle, the requests/ folder read as
// untrusted and written without following links, and which requests a processing run shows.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { HpcRequest } from "../src/contract/types.js";
import { checkDocument } from "../src/contract/validate.js";
import { parseCommand } from "../src/request/command.js";
import { readRequests, writeRequest } from "../src/request/folder.js";
import { selectForMirror } from "../src/request/mirror.js";
import { cancelRequests, newRequest, recordRequest } from "../src/request/record.js";
import { MAX_EVENTS, canMove, transition } from "../src/request/state.js";
import { scratchDir } from "./harness/scratch.js";

const SHA = (c: string) => c.repeat(40);

function ask(o: Partial<Parameters<typeof newRequest>[0]> = {}): HpcRequest {
  return newRequest({
    repository: "octo-org/octo-repo",
    pullRequest: 7,
    commentId: 1,
    what: "all",
    commit: SHA("a"),
    requestedBy: "ann",
    at: "2026-03-01T10:00:00Z",
    ...o,
  });
}

describe("the /hpc commands", () => {
  it.each([
    ["/hpc run", { kind: "run", what: "all" }],
    ["/hpc run tests", { kind: "run", what: "tests" }],
    ["  /HPC  Run  Benchmarks  \nand a second line", { kind: "run", what: "benchmarks" }],
    ["/hpc run all", { kind: "run", what: "all" }],
    ["/hpc cancel", { kind: "cancel" }],
    ["/hpc run everything", { kind: "unknown", text: "/hpc run everything" }],
    ["/hpc", { kind: "unknown", text: "/hpc" }],
    ["/hpc cancel now", { kind: "unknown", text: "/hpc cancel now" }],
  ])("%j", (body, command) => expect(parseCommand(body)).toEqual(command));

  it.each(["", "/hpcrun", "please /hpc run", "> /hpc run", "LGTM\n/hpc run"])("not a command: %j", (body) =>
    expect(parseCommand(body)).toBeUndefined(),
  );
});

describe("the request lifecycle", () => {
  it("allows GitHub's and the poller's moves only", () => {
    expect(canMove("queued", "running")).toBe(true);
    expect(canMove("running", "completed")).toBe(true);
    expect(canMove("queued", "stale")).toBe(true);
    expect(canMove("running", "stale")).toBe(false);
    expect(canMove("completed", "cancelled")).toBe(false);
    expect(() => transition(ask({}), "completed", { at: "2026-03-01T10:01:00Z" })).toThrow(
      /queued to completed/,
    );
  });

  it("keeps the first and the newest events within the schema's bound, and stays valid", () => {
    let r = ask();
    for (let i = 0; i < 30; i++) {
      r = transition({ ...r, state: "queued" }, "running", {
        at: `2026-03-01T10:${String(i).padStart(2, "0")}:00Z`,
        job_id: String(i),
      });
      r = transition(r, "cancelled", {
        at: `2026-03-01T11:${String(i).padStart(2, "0")}:00Z`,
        reason: "again",
      });
    }
    expect(r.events).toHaveLength(MAX_EVENTS);
    expect(r.events![0]).toEqual({ state: "queued", at: "2026-03-01T10:00:00Z", by: "ann" });
    expect(r.events!.at(-1)).toMatchObject({ state: "cancelled", at: "2026-03-01T11:29:00Z" });
    expect(checkDocument("hpc-request", r, "r")).toEqual([]);
  });
});

describe("the requests/ folder", () => {
  it("supersedes only the pull request's open requests for another commit, and writes a redelivered comment once", async () => {
    const dir = scratchDir("requests-");
    const older = ask({ commentId: 1, commit: SHA("a") });
    const done = transition(
      transition(ask({ commentId: 2, commit: SHA("b") }), "running", { at: "2026-03-01T10:01:00Z" }),
      "completed",
      { at: "2026-03-01T10:02:00Z" },
    );
    const other = ask({ pullRequest: 8, commentId: 3, commit: SHA("a") });
    const sameCommit = ask({ commentId: 4, commit: SHA("c") });
    for (const r of [older, done, other, sameCommit]) await writeRequest(dir, r);

    const newer = ask({ commentId: 5, commit: SHA("c"), at: "2026-03-01T12:00:00Z" });
    const recorded = await recordRequest(dir, newer);
    expect(recorded.superseded.map((r) => r.id)).toEqual(["pr-7-1"]);
    const { requests, errors } = await readRequests(dir);
    expect(errors).toEqual([]);
    const state = Object.fromEntries(requests.map((r) => [r.id, r.state]));
    expect(state).toEqual({
      "pr-7-1": "superseded",
      "pr-7-2": "completed",
      "pr-8-3": "queued",
      "pr-7-4": "queued",
      "pr-7-5": "queued",
    });

    const again = await recordRequest(dir, { ...newer, requested_at: "2026-03-01T13:00:00Z" });
    expect(again.request.requested_at).toBe("2026-03-01T12:00:00Z");

    const cancelled = await cancelRequests(dir, {
      repository: "octo-org/octo-repo",
      pullRequest: 7,
      by: "wu",
      at: "2026-03-01T14:00:00Z",
    });
    expect(cancelled.cancelled.map((r) => r.id).sort()).toEqual(["pr-7-4", "pr-7-5"]);
  });

  it("reads a bad file as a reason beside the good ones, and never writes through a linked folder", async () => {
    const dir = scratchDir("requests-bad-");
    await writeRequest(dir, ask({ commentId: 1 }));
    writeFileSync(join(dir, "requests/pr-7-9.json"), "{ not json");
    writeFileSync(join(dir, "requests/renamed.json"), JSON.stringify(ask({ commentId: 2 })));
    const { requests, errors } = await readRequests(dir);
    expect(requests.map((r) => r.id)).toEqual(["pr-7-1"]);
    expect(errors.map((e) => `${e.file} ${e.pointer}`)).toEqual([
      "requests/pr-7-9.json ",
      "requests/renamed.json /id",
    ]);

    const linked = scratchDir("requests-linked-");
    const elsewhere = scratchDir("elsewhere-");
    symlinkSync(elsewhere, join(linked, "requests"));
    await expect(writeRequest(linked, ask())).rejects.toThrow(
      /requests on the results branch is a symbolic link/,
    );
    expect(await readRequests(linked)).toMatchObject({
      requests: [],
      errors: [{ reason: expect.stringMatching(/symbolic link/) }],
    });

    const fileLink = scratchDir("requests-file-link-");
    mkdirSync(join(fileLink, "requests"));
    writeFileSync(join(elsewhere, "target"), "keep\n");
    symlinkSync(join(elsewhere, "target"), join(fileLink, "requests/pr-7-1.json"));
    await expect(writeRequest(fileLink, ask())).rejects.toThrow(/symbolic link/);
    expect(readFileSync(join(elsewhere, "target"), "utf8")).toBe("keep\n");
  });
});

describe("which requests a processing run shows", () => {
  const at = (m: number) => `2026-03-01T10:${String(m).padStart(2, "0")}:00Z`;
  const r = (id: string, commit: string, state: HpcRequest["state"], minute: number): HpcRequest => ({
    ...ask(),
    id,
    commit,
    state,
    requested_at: at(minute),
    updated_at: at(minute),
  });

  it("changed or open, the newest request per commit, newest first, at most max", () => {
    const all = [
      r("a-old", SHA("a"), "superseded", 1),
      r("a-new", SHA("a"), "completed", 5),
      r("b", SHA("b"), "running", 3),
      r("c", SHA("c"), "failed", 2),
      r("d", SHA("d"), "queued", 4),
    ];
    const changed = new Set(["a-old"]);
    const shown = selectForMirror(all, changed, 10);
    // a-old changed, but a-new is what commit a shows; c is final and unchanged.
    expect(shown.chosen.map((x) => x.id)).toEqual(["a-new", "d", "b"]);
    expect(selectForMirror(all, undefined, 2)).toMatchObject({
      chosen: [{ id: "a-new" }, { id: "d" }],
      leftOut: [{ id: "b" }, { id: "c" }],
    });
  });
});
