// A change in percent with its sign: "+3.2%", "-1.0%", "0.0%". Its own module so that the assessment, which the
// run table imports, can use it too.
export function signed(pct: number, digits = 1): string {
  return `${pct > 0 ? "+" : ""}${pct.toFixed(digits)}%`;
}
