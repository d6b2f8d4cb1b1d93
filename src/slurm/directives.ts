// #SBATCH lines: writing a value so that sbatch reads back exactly that value, and reading the
// options of a script the way sbatch does (to find the folders its output goes to).
//
// How sbatch reads a script (src/sbatch/opt.c): options come from lines starting with "#SBATCH" up to
// the first line that is neither blank nor a comment. Each such line is split into words on blanks;
// '...' and "..." quote, a backslash escapes the next character (inside quotes too), an unquoted '#'
// starts a comment. A line holding the word "packjob" or "hetjob" anywhere starts another component
// of a heterogeneous job. Environment variables are not expanded.

export class DirectiveError extends Error {
  override name = "DirectiveError";
}

const BARE = /^[\w@%+=:,./-]+$/;

/**
 * A value as one sbatch word: bare when plain, else in double quotes with '"' and '\' escaped.
 * Refuses what no quoting can carry: line breaks and other control characters, and the words that
 * would split the job into heterogeneous components.
 */
export function sbatchWord(what: string, value: string): string {
  if (value === "") throw new DirectiveError(`slurm ${what} is empty`);
  if ([...value].some((c) => c < " " || c === "\x7f"))
    throw new DirectiveError(
      `slurm ${what} must be one line of printable text (a line break would end the #SBATCH line): ${JSON.stringify(value)}`,
    );
  if (/packjob|hetjob/i.test(value))
    throw new DirectiveError(
      `slurm ${what} may not contain "hetjob" or "packjob": sbatch would start a heterogeneous job there: ${JSON.stringify(value)}`,
    );
  return BARE.test(value) ? value : `"${value.replace(/["\\]/g, "\\$&")}"`;
}

/** The words of the #SBATCH lines of a script, in order, as sbatch reads them. */
export function readDirectives(script: string): string[] {
  const words: string[] = [];
  for (const line of script.split("\n")) {
    if (line.startsWith("#SBATCH")) {
      words.push(...splitWords(line.slice("#SBATCH".length)));
      continue;
    }
    const text = line.trimStart();
    if (text !== "" && !text.startsWith("#")) break; // the first command ends the directives
  }
  return words;
}

function splitWords(text: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length || text[i] === "#") break;
    let word = "";
    let quote = "";
    for (; i < text.length && (quote || !/\s/.test(text[i]!)); i++) {
      const c = text[i]!;
      if (c === "\\") word += text[++i] ?? "";
      else if (quote && c === quote) quote = "";
      else if (quote) word += c;
      else if (c === '"' || c === "'") quote = c;
      else if (c === "#") {
        i = text.length; // an unquoted '#' comments out the rest of the line
        break;
      } else word += c;
    }
    words.push(word);
  }
  return words;
}

/**
 * The last value given to an option among sbatch words: `--name=value`, `--name value`, `-xvalue`
 * or `-x value`. Undefined when the option is absent.
 */
export function optionValue(words: string[], long: string, short?: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === `--${long}` || (short && word === `-${short}`)) value = words[++i];
    else if (word.startsWith(`--${long}=`)) value = word.slice(long.length + 3);
    else if (short && word.startsWith(`-${short}`) && !word.startsWith("--")) value = word.slice(2);
  }
  return value;
}
