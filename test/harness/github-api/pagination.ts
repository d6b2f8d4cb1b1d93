// GitHub's page-number pagination: per_page (default 30, at most 100) and page (default 1), and a Link
// header naming the other pages in GitHub's order (prev, next, last, first). Like api.github.com, the links
// use the repository's id form (/repositories/<id>/...) and keep the request's other query parameters.

export interface Page<T> {
  items: T[];
  /** The Link header value, or undefined when everything fits on one page. */
  link: string | undefined;
}

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

function positiveInt(value: string | null, fallback: number): number {
  const n = value === null ? NaN : Number(value);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

/**
 * @param linkBase absolute URL of the collection without a query, e.g.
 *   http://127.0.0.1:4000/repositories/700000001/issues/1/comments
 */
export function paginate<T>(all: readonly T[], query: URLSearchParams, linkBase: string): Page<T> {
  const perPage = Math.min(positiveInt(query.get("per_page"), DEFAULT_PER_PAGE), MAX_PER_PAGE);
  const page = positiveInt(query.get("page"), 1);
  const items = all.slice((page - 1) * perPage, page * perPage);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  if (last === 1) return { items, link: undefined };
  const url = (n: number) => {
    const params = new URLSearchParams(query);
    params.set("page", String(n)); // replaces in place, or appends: GitHub keeps the caller's order
    return `<${linkBase}?${params.toString()}>`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(`${url(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) parts.push(`${url(page + 1)}; rel="next"`, `${url(last)}; rel="last"`);
  if (page > 1) parts.push(`${url(1)}; rel="first"`);
  return { items, link: parts.join(", ") };
}
