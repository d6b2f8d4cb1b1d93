// The CLI's own lines on the console, told apart from the commands' output.
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleLogger: Logger = {
  info: (m) => process.stdout.write(`[hpc-ci] ${m}\n`),
  warn: (m) => process.stderr.write(`[hpc-ci] warning: ${m}\n`),
  error: (m) => process.stderr.write(`[hpc-ci] error: ${m}\n`),
};
