// What must never be written into a batch script (a file on a shared filesystem, kept next to the
// results and printed by `submit --print`) nor given to the job (see job-environment.ts).

/** Names of variables that hold credentials (CODECOV_TOKEN, HPC_RESULTS_TOKEN, MY_PASSWORD...). */
const SECRET_NAME = /TOKEN|SECRET|PASSW(OR)?D|CREDENTIAL|PRIVATE_KEY|API_?KEY|ACCESS_KEY|AUTH/i;

/** Token formats that identify themselves, wherever they appear (GitHub's classic and fine-grained). */
const SECRET_TEXT = /\bgh[pousr]_[A-Za-z0-9]{20,}|\bgithub_pat_\w{20,}/;

/** A query parameter that carries a credential, as in a pre-signed URL. */
const SECRET_QUERY = /[?&][\w-]*(token|sig|signature|key|secret|password|auth)[\w-]*=/i;

/**
 * Whether a variable must stay out of the script: a credential's name, a known token format, or a
 * URL that carries credentials. `ssh://git@host/...` and `git@host:...` carry none (the key does the
 * work); `https://user:pass@host`, `https://TOKEN@host` and signed query strings do.
 */
export function isCredential(name: string, value: string): boolean {
  if (SECRET_NAME.test(name) || SECRET_TEXT.test(value)) return true;
  for (const match of value.matchAll(/\b([a-z][a-z0-9+.-]*):\/\/([^\s/?#]*)([^\s]*)/gi)) {
    const [, scheme, authority, rest] = match;
    const userinfo = authority!.includes("@") ? authority!.slice(0, authority!.lastIndexOf("@")) : "";
    if (userinfo.includes(":")) return true;
    if (userinfo && /^https?$/i.test(scheme!)) return true;
    if (SECRET_QUERY.test(rest!)) return true;
  }
  return false;
}
