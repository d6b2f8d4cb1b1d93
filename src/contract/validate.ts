// Validation of contract documents with the precompiled validators, turning ajv's errors
// into reasons a person can act on (file, JSON pointer, why).
import type { ErrorObject } from "ajv";
import { type ContractError, escapePointerToken } from "./errors.js";
import * as generated from "./validators.generated.js";
import type { HpcCiConfig } from "../config/types.js";
import type {
  BenchmarkHistory,
  BenchmarksSummary,
  CoverageLines,
  HpcRequest,
  HpcResults,
  Meta,
  ShieldsEndpoint,
  TestsSummary,
} from "./types.js";

export interface DocumentKinds {
  "hpc-results": HpcResults;
  "tests-summary": TestsSummary;
  "benchmarks-summary": BenchmarksSummary;
  meta: Meta;
  "shields-endpoint": ShieldsEndpoint;
  config: HpcCiConfig;
  "benchmark-history": BenchmarkHistory;
  "coverage-lines": CoverageLines;
  "hpc-request": HpcRequest;
}
export type DocumentKind = keyof DocumentKinds;

const VALIDATORS: Record<DocumentKind, generated.StandaloneValidator> = {
  "hpc-results": generated.validateHpcResults,
  "tests-summary": generated.validateTestsSummary,
  "benchmarks-summary": generated.validateBenchmarksSummary,
  meta: generated.validateMeta,
  "shields-endpoint": generated.validateShieldsEndpoint,
  config: generated.validateConfig,
  "benchmark-history": generated.validateBenchmarkHistory,
  "coverage-lines": generated.validateCoverageLines,
  "hpc-request": generated.validateHpcRequest,
};

const MAX_REPORTED = 20;

/** Checks `value` as a document of `kind`; returns every problem (empty when valid). */
export function checkDocument(kind: DocumentKind, value: unknown, file: string): ContractError[] {
  const validate = VALIDATORS[kind];
  if (validate(value)) return semanticProblems(kind, value, file);
  const errors = (validate.errors ?? []).slice(0, MAX_REPORTED);
  return dedupe(errors.map((e) => ({ file, pointer: pointerOf(e), reason: reasonOf(e, kind) })));
}

export function isDocument<K extends DocumentKind>(kind: K, value: unknown): value is DocumentKinds[K] {
  return VALIDATORS[kind](value) && semanticProblems(kind, value, "").length === 0;
}

// Rules a JSON Schema cannot state.
function semanticProblems(kind: DocumentKind, value: unknown, file: string): ContractError[] {
  if (kind !== "hpc-results") return [];
  const coverage = (value as HpcResults).coverage;
  if (coverage && coverage.total_lines !== undefined && coverage.covered_lines !== undefined) {
    if (coverage.covered_lines > coverage.total_lines) {
      return [
        {
          file,
          pointer: "/coverage/covered_lines",
          reason: `covered_lines (${coverage.covered_lines}) is more than total_lines (${coverage.total_lines})`,
        },
      ];
    }
  }
  return [];
}

function pointerOf(e: ErrorObject): string {
  if (e.keyword === "required") {
    return `${e.instancePath}/${escapePointerToken(String((e.params as { missingProperty: string }).missingProperty))}`;
  }
  if (e.keyword === "additionalProperties") {
    return `${e.instancePath}/${escapePointerToken(String((e.params as { additionalProperty: string }).additionalProperty))}`;
  }
  if (e.keyword === "propertyName" || (e.params as { propertyName?: string }).propertyName !== undefined) {
    return `${e.instancePath}/${escapePointerToken(String((e.params as { propertyName: string }).propertyName))}`;
  }
  return e.instancePath;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === "object") return "an object";
  return String(value);
}

function reasonOf(e: ErrorObject, kind: DocumentKind): string {
  const p = e.params as Record<string, unknown>;
  const got = e.data === undefined ? "" : ` (got ${describe(e.data)})`;
  switch (e.keyword) {
    case "required":
      return "is required";
    case "const":
      if (e.instancePath.endsWith("schema_version") || e.instancePath.endsWith("schemaVersion")) {
        return `unknown schema version ${describe(e.data)}: this reader understands ${String(p.allowedValue)}`;
      }
      return `must be ${JSON.stringify(p.allowedValue)}${got}`;
    case "enum":
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => String(v)).join(", ")}${got}`;
    case "type":
      return `must be ${String(p.type).replace(",", " or ")}${got}`;
    case "pattern":
      if (e.schemaPath.includes("/commit")) {
        return `not a commit id: 40 or 64 lowercase hexadecimal digits${got}`;
      }
      return `must match ${String(p.pattern)}${got}`;
    case "format":
      return p.format === "date-time"
        ? `must be an RFC 3339 date-time such as 2026-01-17T12:34:56Z${got}`
        : `${e.message}${got}`;
    case "minimum":
    case "maximum":
      return `must be ${String(p.comparison)} ${String(p.limit)}${got}`;
    case "maxLength":
    case "minLength":
      return `${e.message ?? "has the wrong length"}`;
    case "additionalProperties":
      if (kind === "shields-endpoint") return "is not a key Shields accepts";
      return kind === "config" ? "is not a known setting" : "is not allowed here";
    default:
      return `${e.message ?? "is invalid"}${got}`;
  }
}

function dedupe(errors: ContractError[]): ContractError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.pointer}\u0000${e.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
