// GitHub's error bodies, in the shapes api.github.com sends today (including the string "status" field).

export const GENERIC_DOCS_URL = "https://docs.github.com/rest";

export interface BasicError {
  message: string;
  documentation_url: string;
  status: string;
}

export interface ValidationErrorItem {
  resource: string;
  code: string;
  field?: string;
  message?: string;
}

export interface ValidationFailed extends BasicError {
  errors: ValidationErrorItem[];
}

/** What a handler returns (or throws, as ApiError) to answer a request. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export class ApiError extends Error {
  constructor(readonly reply: Reply) {
    super(
      typeof reply.body === "object" && reply.body && "message" in reply.body
        ? String(reply.body.message)
        : "",
    );
  }
}

export function basicError(status: number, message: string, documentationUrl = GENERIC_DOCS_URL): BasicError {
  return { message, documentation_url: documentationUrl, status: String(status) };
}

export function notFound(documentationUrl?: string): ApiError {
  return new ApiError({ status: 404, body: basicError(404, "Not Found", documentationUrl) });
}

/** GitHub's answer for a sha (or ref) it does not know, e.g. on commits/{sha}/pulls and statuses/{sha}. */
export function noCommit(sha: string, documentationUrl?: string): ApiError {
  return new ApiError({
    status: 422,
    body: basicError(422, `No commit found for SHA: ${sha}`, documentationUrl),
  });
}

export function validationFailed(errors: ValidationErrorItem[], documentationUrl?: string): ApiError {
  const body: ValidationFailed = { ...basicError(422, "Validation Failed", documentationUrl), errors };
  return new ApiError({ status: 422, body });
}
