// The upload token must never reach a log line, a message or a returned value: every text that leaves
// this module goes through a redactor that knows the token in the forms it may come back in.

const MASK = "***";

/** Returns a function that replaces every occurrence of the secrets (and their encoded forms) with ***. */
export function makeRedactor(secrets: Array<string | undefined>): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    // A very short "secret" would mask ordinary words; tokens are UUIDs or longer.
    if (!secret || secret.length < 4) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    // Codecov's own CLI sends a UUID token without its dashes; a server may echo either form.
    if (secret.includes("-")) forms.add(secret.replace(/-/g, ""));
  }
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const form of ordered) out = out.split(form).join(MASK);
    return out;
  };
}

/** A URL for a message: origin and path only (the query of a pre-signed URL is a credential too). */
export function describeUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}
