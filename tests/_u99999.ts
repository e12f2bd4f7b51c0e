/**
 * The row of the issue that "loads" while four of its fields are stored as NULL: `U99999` with age `abc`,
 * country `Narnia`, plan `Gold`, date `2023-13-45` and hours `xx`. Tests append it to a generated users.csv,
 * in that file's own column order and line endings (a messy file shuffles and renames its columns).
 */
import { join } from "node:path";
import { resolveHeader } from "../lib/contract/mod.ts";

/** The U99999 row's values by canonical column. */
export const U99999: Readonly<Record<string, string>> = {
  user_id: "U99999",
  age: "abc",
  country: "Narnia",
  subscription_type: "Gold",
  registration_date: "2023-13-45",
  total_watch_time_hours: "xx",
};

/** The U99999 row's coercions, as `etl_coercions` records them (field order), at `line`. */
export const u99999Coercions = (line: number) =>
  ["age", "registration_date", "subscription_type", "total_watch_time_hours"].map((field) => ({
    file: "users.csv",
    line,
    field,
    value: U99999[field],
    stored: null,
  }));

/** Appends the U99999 row to `dataDir`/users.csv; returns its line number. */
export async function appendU99999(dataDir: string): Promise<number> {
  const path = join(dataDir, "users.csv");
  const text = await Deno.readTextFile(path);
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const names = text.slice(0, text.search(/\r?\n/)).split(",");
  const { index, width } = resolveHeader("users", names, "users.csv");
  const fields = Array.from({ length: width }, () => "");
  for (const [column, position] of Object.entries(index)) fields[position] = U99999[column] ?? "";
  const start = text.endsWith("\n") ? "" : eol;
  await Deno.writeTextFile(path, `${start}${fields.join(",")}${eol}`, { append: true });
  return (text + start).split("\n").length;
}
