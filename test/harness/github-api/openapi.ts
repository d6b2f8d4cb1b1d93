// GitHub's published REST OpenAPI description, reduced to what the stand-in needs: every path template
// with its methods (to tell an unknown route from one we merely do not serve) and the full operations we
// serve (parameters, request body and response schemas). It is read from the committed subset
// (scripts/openapi-subset.mjs), so no test needs the network; the full 73 MB file is read only when the
// subset lacks a served operation. The index is cached in .cache/openapi/ and in memory for the process.
// Compiling the response schemas (a pull request inlines whole repositories) takes ajv seconds, so their
// validators are generated once as a standalone CommonJS module in the same cache and loaded with require().
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import addFormats from "ajv-formats";
import {
  ensureOpenApi,
  OPENAPI_DIR,
  OPENAPI_FILE,
  OPENAPI_PACKAGE_VERSION,
} from "../../../scripts/fetch-openapi.mjs";
import { OPENAPI_SUBSET_FILE } from "../../../scripts/openapi-subset.mjs";

export type JsonSchema = Record<string, unknown>;

export interface ParameterSpec {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: JsonSchema;
}

export interface OperationSpec {
  /** "GET /repos/{owner}/{repo}/pulls" */
  key: string;
  method: string;
  template: string;
  operationId: string;
  docsUrl: string | undefined;
  parameters: ParameterSpec[];
  requestBody: { required: boolean; schema: JsonSchema } | undefined;
  /** Status code -> JSON schema of the body, or null when the response has no JSON body. */
  responses: Record<string, JsonSchema | null>;
}

interface IndexFile {
  format: number;
  packageVersion: string;
  /** Every path template with its methods (upper case) and multi-segment parameters, in spec order. */
  routes: Array<{ template: string; methods: string[]; multiSegment: string[] }>;
  operations: Record<string, OperationSpec>;
}

export interface RouteMatch {
  template: string;
  methods: string[];
  /** Decoded path parameter values. */
  params: Record<string, string>;
}

interface CompiledRoute {
  template: string;
  methods: string[];
  regex: RegExp;
  names: string[];
  literals: number;
  multi: number;
}

const INDEX_FORMAT = 2;
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export class SpecIndex {
  readonly packageVersion: string;
  readonly operations: ReadonlyMap<string, OperationSpec>;
  private readonly routes: CompiledRoute[];
  private readonly ajvBody = newAjv(false);
  private readonly ajvParams = newAjv(true);
  private readonly validators = new Map<string, ValidateFunction>();
  private responseModule: Record<string, ValidateFunction> | undefined;

  /** @param responseValidatorsFile where the generated response validators are (or will be) cached */
  constructor(
    file: IndexFile,
    private readonly responseValidatorsFile: string,
  ) {
    this.packageVersion = file.packageVersion;
    this.operations = new Map(Object.entries(file.operations));
    this.routes = file.routes.map((r) => compileRoute(r.template, r.methods, r.multiSegment));
  }

  /** The most specific template matching the path (literal segments beat parameters), if any. */
  match(pathname: string): RouteMatch | undefined {
    let best: { route: CompiledRoute; groups: string[] } | undefined;
    for (const route of this.routes) {
      const m = route.regex.exec(pathname);
      if (!m) continue;
      if (
        !best ||
        route.literals > best.route.literals ||
        (route.literals === best.route.literals && route.multi < best.route.multi)
      ) {
        best = { route, groups: m.slice(1) };
      }
    }
    if (!best) return undefined;
    const params: Record<string, string> = {};
    best.route.names.forEach((name, i) => {
      params[name] = safeDecode(best.groups[i] ?? "");
    });
    return { template: best.route.template, methods: best.route.methods, params };
  }

  operation(method: string, template: string): OperationSpec | undefined {
    return this.operations.get(`${method.toUpperCase()} ${template}`);
  }

  /** Checks path and query parameters and the JSON body against the operation; returns readable errors. */
  validateRequest(
    op: OperationSpec,
    pathParams: Record<string, string>,
    query: URLSearchParams,
    body: unknown,
  ): string[] {
    const errors: string[] = [];
    for (const location of ["path", "query"] as const) {
      const values: Record<string, unknown> = {};
      if (location === "path") Object.assign(values, pathParams);
      else {
        for (const key of new Set(query.keys())) {
          const all = query.getAll(key);
          values[key] = all.length === 1 ? all[0] : all;
        }
      }
      const validate = this.compile(
        `${op.key} ${location}`,
        () => parameterSchema(op, location),
        this.ajvParams,
      );
      if (!validate(values)) errors.push(...describe(validate.errors, location));
    }
    if (op.requestBody) {
      if (body === undefined) {
        if (op.requestBody.required) errors.push("body: a JSON request body is required");
      } else {
        const validate = this.compile(`${op.key} body`, () => op.requestBody!.schema, this.ajvBody);
        if (!validate(body)) errors.push(...describe(validate.errors, "body"));
        errors.push(...unknownTopLevelProperties(op.requestBody.schema, body));
      }
    } else if (body !== undefined) {
      errors.push(`body: ${op.operationId} takes no request body`);
    }
    return errors;
  }

  /** Checks a response body against the schema documented for its status; undocumented statuses pass. */
  validateResponse(op: OperationSpec, status: number, body: unknown): string[] {
    const validate = this.responseValidators()[responseExportName(op.key, String(status))];
    if (!validate) return []; // undocumented status, or no JSON body
    return validate(body) ? [] : describe(validate.errors, `response ${status}`);
  }

  private responseValidators(): Record<string, ValidateFunction> {
    if (!this.responseModule) {
      if (!existsSync(this.responseValidatorsFile)) {
        writeAtomically(this.responseValidatorsFile, generateResponseValidators(this.operations.values()));
      }
      // Plain Node require, not the test runner's module loader: the file is large generated JavaScript.
      this.responseModule = createRequire(import.meta.url)(this.responseValidatorsFile) as Record<
        string,
        ValidateFunction
      >;
    }
    return this.responseModule;
  }

  private compile(key: string, schema: () => JsonSchema, ajv: Ajv): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = ajv.compile(schema());
      this.validators.set(key, validate);
    }
    return validate;
  }
}

function newAjv(coerceTypes: boolean, standalone = false): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    coerceTypes,
    validateSchema: false,
    ...(standalone ? { code: { source: true } } : {}),
  });
  addFormats.default(ajv);
  return ajv;
}

function responseExportName(opKey: string, status: string): string {
  return `${opKey} ${status}`.replace(/[^A-Za-z0-9]+/g, "_");
}

function generateResponseValidators(operations: Iterable<OperationSpec>): string {
  const ajv = newAjv(false, true);
  const exports: Record<string, string> = {};
  for (const op of operations) {
    for (const [status, schema] of Object.entries(op.responses)) {
      if (!schema) continue;
      const name = responseExportName(op.key, status);
      ajv.addSchema(schema, name);
      exports[name] = name;
    }
  }
  return standaloneCode.default(ajv, exports);
}

/** Index and validator files of other keys are left over from older specs or served sets. */
// Only those a day old: several served sets (the subset's, a test's fallback, checkouts sharing the cache) are
// in use at once, and removing one another's would make each rebuild its validators every time.
const STALE_AFTER_MS = 24 * 3600 * 1000;

function removeStaleCaches(dir: string, key: string): void {
  for (const name of readdirSync(dir)) {
    if (!/^(index|responses)-[0-9a-f]{16}\.(json|cjs)$/.test(name) || name.includes(key)) continue;
    const file = join(dir, name);
    try {
      if (Date.now() - statSync(file).mtimeMs > STALE_AFTER_MS) rmSync(file, { force: true });
    } catch {
      // removed meanwhile by another process
    }
  }
}

function writeAtomically(file: string, text: string): void {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, text);
  renameSync(partial, file);
}

function parameterSchema(op: OperationSpec, location: "path" | "query"): JsonSchema {
  const params = op.parameters.filter((p) => p.in === location);
  return {
    type: "object",
    properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
    required: params.filter((p) => p.required).map((p) => p.name),
    // GitHub ignores unknown query parameters; a client sending one has a typo or a wrong endpoint.
    additionalProperties: false,
  };
}

// Request body schemas rarely say additionalProperties:false, and GitHub silently drops unknown keys, so a
// misspelt field (say "descripton") would go unnoticed; the stand-in reports it.
function unknownTopLevelProperties(schema: JsonSchema, body: unknown): string[] {
  if (!body || typeof body !== "object" || Array.isArray(body)) return [];
  const properties = schema.properties as Record<string, unknown> | undefined;
  if (schema.type !== "object" || !properties || schema.additionalProperties !== undefined) return [];
  return Object.keys(body)
    .filter((key) => !(key in properties))
    .map((key) => `body: unknown property '${key}' (not in the operation's request body schema)`);
}

function describe(errors: ErrorObject[] | null | undefined, location: string): string[] {
  return (errors ?? []).map((e) => {
    const where = e.instancePath ? `${location}${e.instancePath}` : location;
    const extra =
      e.keyword === "additionalProperties"
        ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`
        : e.keyword === "enum"
          ? ` (${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(", ")})`
          : "";
    return `${where}: ${e.message ?? e.keyword}${extra}`;
  });
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function compileRoute(template: string, methods: string[], multiSegment: string[] = []): CompiledRoute {
  const names: string[] = [];
  let literals = 0;
  let multi = 0;
  const pattern = template
    .split("/")
    .map((segment) => {
      const param = /^\{([^}]+)\}$/.exec(segment);
      if (!param) {
        if (segment) literals++;
        return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      }
      names.push(param[1]!);
      if (multiSegment.includes(param[1]!)) {
        multi++;
        return "(.+)";
      }
      return "([^/]+)";
    })
    .join("/");
  return { template, methods, regex: new RegExp(`^${pattern}/?$`), names, literals, multi };
}

// --- building and caching the index ---------------------------------------------------------------------

let memo: { key: string; served: string[]; file: string; index: SpecIndex } | undefined;

function sameServed(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

export interface LoadTimings {
  /** "memory" (already loaded in this process), "index" (cached index file) or "spec" (parsed the description). */
  source: "memory" | "index" | "spec";
  milliseconds: number;
  /** The description the index comes from: the committed subset, or the full file when the subset lacks an operation. */
  file: string;
}

/** The committed subset when it holds every served operation, else the full description (fetched if need be). */
function descriptionFile(served: readonly string[]): string {
  const subset = JSON.parse(readFileSync(OPENAPI_SUBSET_FILE, "utf8")) as {
    "x-hpc-ci-subset"?: { served?: string[] };
  };
  const inSubset = new Set(subset["x-hpc-ci-subset"]?.served ?? []);
  const missing = served.filter((key) => !inSubset.has(key));
  if (missing.length === 0) return OPENAPI_SUBSET_FILE;
  console.warn(
    `${OPENAPI_SUBSET_FILE} lacks ${missing.join(", ")}: using the full description; regenerate it with node scripts/openapi-subset.mjs`,
  );
  if (!existsSync(OPENAPI_FILE)) ensureOpenApi({ log: (line) => console.warn(line) });
  return OPENAPI_FILE;
}

/**
 * Loads the index of the given operations ("GET /repos/{owner}/{repo}/pulls", ...). Cached in memory and in
 * .cache/openapi/index-<hash>.json.
 */
export function loadSpecIndex(served: readonly string[], timings?: (t: LoadTimings) => void): SpecIndex {
  const started = performance.now();
  const specFile = memo && sameServed(memo.served, served) ? memo.file : descriptionFile(served);
  const report = (source: LoadTimings["source"]) =>
    timings?.({ source, milliseconds: performance.now() - started, file: specFile });
  const stat = statSync(specFile);
  const key = createHash("sha256")
    .update(
      JSON.stringify([
        INDEX_FORMAT,
        OPENAPI_PACKAGE_VERSION,
        specFile,
        stat.size,
        stat.mtimeMs,
        // The generated validators call into ajv's runtime, so a new ajv means generating them again.
        (createRequire(import.meta.url)("ajv/package.json") as { version: string }).version,
        [...served].sort(),
      ]),
    )
    .digest("hex")
    .slice(0, 16);
  if (memo?.key === key) {
    report("memory");
    return memo.index;
  }
  mkdirSync(OPENAPI_DIR, { recursive: true });
  const cacheFile = join(OPENAPI_DIR, `index-${key}.json`);
  let file: IndexFile | undefined;
  let source: LoadTimings["source"] = "index";
  if (existsSync(cacheFile)) {
    try {
      file = JSON.parse(readFileSync(cacheFile, "utf8")) as IndexFile;
    } catch {
      file = undefined; // a damaged cache file is rebuilt below
    }
  }
  if (!file) {
    source = "spec";
    file = buildIndex(JSON.parse(readFileSync(specFile, "utf8")) as OpenApiDocument, served);
    removeStaleCaches(OPENAPI_DIR, key);
    writeAtomically(cacheFile, JSON.stringify(file));
  }
  memo = {
    key,
    served: [...served],
    file: specFile,
    index: new SpecIndex(file, join(OPENAPI_DIR, `responses-${key}.cjs`)),
  };
  report(source);
  return memo.index;
}

interface OpenApiDocument {
  info: { version: string };
  paths: Record<string, Record<string, RawOperation | unknown>>;
}

interface RawOperation {
  operationId: string;
  externalDocs?: { url?: string };
  parameters?: Array<
    { name: string; in: ParameterSpec["in"]; required?: boolean; schema?: JsonSchema } & JsonSchema
  >;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

function buildIndex(doc: OpenApiDocument, served: readonly string[]): IndexFile {
  const routes: IndexFile["routes"] = [];
  const operations: IndexFile["operations"] = {};
  const wanted = new Set(served);
  for (const [template, item] of Object.entries(doc.paths)) {
    const methods = Object.keys(item).filter((m) => HTTP_METHODS.includes(m));
    // Multi-segment parameters (a ref such as "heads/main") are marked per operation; the route needs them.
    const multi = new Set<string>();
    for (const method of methods) {
      const op = item[method] as RawOperation;
      for (const p of op.parameters ?? []) if (p["x-multi-segment"] === true) multi.add(p.name);
      const key = `${method.toUpperCase()} ${template}`;
      if (!wanted.has(key)) continue;
      wanted.delete(key);
      const body = op.requestBody?.content?.["application/json"]?.schema;
      operations[key] = {
        key,
        method: method.toUpperCase(),
        template,
        operationId: op.operationId,
        docsUrl: op.externalDocs?.url,
        parameters: (op.parameters ?? []).map((p) => ({
          name: p.name,
          in: p.in,
          required: p.required === true,
          schema: normalizeSchema(p.schema ?? {}),
        })),
        requestBody: body
          ? { required: op.requestBody?.required === true, schema: normalizeSchema(body) }
          : undefined,
        responses: Object.fromEntries(
          Object.entries(op.responses).map(([status, r]) => {
            const schema = r.content?.["application/json"]?.schema;
            return [status, schema ? normalizeSchema(schema) : null];
          }),
        ),
      };
    }
    routes.push({ template, methods: methods.map((m) => m.toUpperCase()), multiSegment: [...multi] });
  }
  if (wanted.size)
    throw new Error(`OpenAPI ${doc.info.version} has no operation(s): ${[...wanted].join(", ")}`);
  return { format: INDEX_FORMAT, packageVersion: OPENAPI_PACKAGE_VERSION, routes, operations };
}

const DOC_ONLY_KEYS = new Set(["description", "example", "examples", "title"]);

// OpenAPI 3.0 "nullable" needs a "type" beside it in ajv, and an enum must list null itself to accept it.
function normalizeSchema(schema: unknown): JsonSchema {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (DOC_ONLY_KEYS.has(k)) continue; // keeps the cached index small
      out[k] = k === "properties" ? mapValues(v as Record<string, unknown>, walk) : walk(v);
    }
    if (out.nullable === true) {
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      if (out.type === undefined) {
        delete out.nullable;
        return { anyOf: [out, { type: "null" }] };
      }
    }
    return out;
  };
  return walk(schema) as JsonSchema;
}

function mapValues(obj: Record<string, unknown>, f: (v: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, f(v)]));
}
