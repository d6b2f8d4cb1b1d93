// The CLI's version, recorded in every result as generated_by.
export const VERSION = "0.1.0";
