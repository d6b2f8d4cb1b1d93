// One Codecov upload of an lcov tracefile under an explicit commit, branch and flag (off GitHub Actions
// nothing can be detected). Never fatal and never throws: a failed upload is { uploaded: false, message }
// for the caller to warn about. The token is in no message, log line or returned value.
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import {
  codecovCliArgs,
  codecovCliEnv,
  findCodecovCli,
  lastLines,
  reportUrlIn,
  runCapture,
  type CodecovCli,
} from "./cli-uploader.js";
import {
  resolveOptions,
  UploadOptionsError,
  type ResolvedOptions,
  type UploadCoverageOptions,
  type UploadOutcome,
} from "./options.js";
import { makeRedactor } from "./redact.js";
import { formatReport, networkFiles, readTracefile, reportPath } from "./report.js";
import { uploadThroughApi } from "./upload-api.js";

export async function uploadCoverage(options: UploadCoverageOptions): Promise<UploadOutcome> {
  const redact = makeRedactor([options.token, options.token?.trim()]);
  const log = (line: string) => {
    try {
      options.log?.(redact(line));
    } catch {
      // A broken logger must not turn into a failed run.
    }
  };
  let via: UploadOutcome["via"] = "api";
  try {
    const o = resolveOptions({ ...options, log });
    const unreadable = await checkReadable(o.lcovPath);
    if (unreadable) return { uploaded: false, message: redact(unreadable), via };
    const chosen = await chooseCli(o);
    if (chosen.failure) return { uploaded: false, message: redact(chosen.failure), via: "cli" };
    if (chosen.cli) {
      via = "cli";
      return await uploadWithCli(o, chosen.cli, redact);
    }
    return await uploadWithApi(o, redact);
  } catch (error) {
    const message =
      error instanceof UploadOptionsError
        ? error.message
        : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    return { uploaded: false, message: redact(message), via };
  }
}

async function checkReadable(path: string): Promise<string | undefined> {
  try {
    await access(path, constants.R_OK);
    return undefined;
  } catch (error) {
    return `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
}

async function chooseCli(o: ResolvedOptions): Promise<{ cli?: CodecovCli; failure?: string }> {
  if (o.useCli === "never") return {};
  const found = await findCodecovCli(o.env);
  if (found.cli) return { cli: found.cli };
  if (o.useCli === "always")
    return { failure: found.note ?? "no Codecov CLI (codecovcli or codecov) on PATH" };
  if (found.note) o.log(`codecov: ${found.note}; using Codecov's upload API`);
  return {};
}

async function uploadWithApi(o: ResolvedOptions, redact: (text: string) => string): Promise<UploadOutcome> {
  let lcov: string;
  try {
    lcov = await readTracefile(o.lcovPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { uploaded: false, message: `cannot read ${o.lcovPath}: ${code ?? String(error)}`, via: "api" };
  }
  if (!lcov.trim())
    return { uploaded: false, message: `${o.lcovPath} is empty; nothing to upload`, via: "api" };
  const path = o.reportName ?? reportPath(o.lcovPath, o.root);
  const network = o.network ?? (await networkFiles(o.root, lcov));
  const report = formatReport(network, [{ path, content: lcov }]);
  o.log(
    `codecov: uploading ${path} to ${o.url} (commit ${o.commit.slice(0, 12)}, branch ${o.branch}, flag ${o.flags.join(",")})`,
  );
  const result = await uploadThroughApi(o, report, redact);
  if (!result.ok) return { uploaded: false, message: redact(result.message), via: "api" };
  return {
    uploaded: true,
    reportUrl: redact(result.value.reportUrl),
    message: redact(`uploaded ${path} under flag ${o.flags.join(",")} for commit ${o.commit.slice(0, 12)}`),
    via: "api",
  };
}

async function uploadWithCli(
  o: ResolvedOptions,
  cli: CodecovCli,
  redact: (text: string) => string,
): Promise<UploadOutcome> {
  const args = codecovCliArgs(o);
  o.log(`codecov: ${cli.path} ${args.join(" ")}`);
  const run = await runCapture(cli.path, args, {
    env: codecovCliEnv(o),
    cwd: o.root,
    timeoutMs: o.cliTimeoutMs,
    onLine: (line) => o.log(`${cli.name}: ${line}`),
  });
  const output = redact(run.output);
  if (run.exitCode === 0 && !run.problem) {
    const reportUrl = reportUrlIn(output, o.commit);
    return {
      uploaded: true,
      ...(reportUrl && { reportUrl }),
      message: `uploaded ${o.lcovPath} with ${cli.name} under flag ${o.flags.join(",")} for commit ${o.commit.slice(0, 12)}`,
      via: "cli",
    };
  }
  const why = run.problem ?? `exited with ${run.exitCode}`;
  const tail = lastLines(output);
  return { uploaded: false, message: redact(`${cli.name} ${why}${tail ? `: ${tail}` : ""}`), via: "cli" };
}
