import { basename } from "node:path";

/**
 * Reads and parses a JSON content file (`{ movies, series }` or a bare array); validation is the contract's
 * job. A syntax error names the file and where the parser stopped.
 */
export async function readContentFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound ? "the file does not exist" : String(error);
    throw new Error(`Cannot read "${path}": ${why}`, { cause: error });
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new SyntaxError(`Cannot parse "${basename(path)}": ${why}`, { cause: error });
  }
}
