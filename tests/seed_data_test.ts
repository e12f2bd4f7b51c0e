/**
 * The contract against the original seed data (`shared/seed-data/` beside the project): every user and
 * every content document of the student project must be accepted as it is.
 */
import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import {
  ContentDocumentSchema,
  readContentDocuments,
  resolveHeader,
  rowFromValues,
  UserRecordSchema,
  validateContent,
  validateUser,
} from "../lib/contract/mod.ts";

const SEED_DATA = new URL("../../shared/seed-data/", import.meta.url);

function seedDataExists(): boolean {
  try {
    return Deno.statSync(SEED_DATA).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

const ignore = !seedDataExists();
if (ignore) console.warn(`Skipping the seed data tests: ${SEED_DATA.pathname} does not exist`);

Deno.test({
  name: "seed users.csv: all 5,000 users are accepted without coercion",
  ignore,
  fn: async () => {
    const text = await Deno.readTextFile(new URL("users.csv", SEED_DATA));
    const [names, ...lines]: string[][] = parse(text, { bom: true, skip_empty_lines: true });
    const header = resolveHeader("users", names, "users.csv");
    assert.deepEqual(header.ignored, []);
    assert.equal(header.width, 6);

    const userIds = new Set<string>();
    const rejects: unknown[] = [];
    let coerced = 0;
    for (const values of lines) {
      assert.equal(values.length, header.width);
      const result = validateUser(rowFromValues(header, values));
      if (!result.ok) {
        rejects.push(result.reject);
        continue;
      }
      UserRecordSchema.parse(result.record);
      userIds.add(result.record.user_id);
      coerced += result.coerced.length;
    }
    assert.deepEqual(rejects, []);
    assert.equal(lines.length, 5000);
    assert.equal(userIds.size, 5000);
    assert.equal(coerced, 0);
  },
});

Deno.test({
  name: "seed content.json: 200 movies and 100 series are accepted with their views",
  ignore,
  fn: async () => {
    const json: unknown = JSON.parse(await Deno.readTextFile(new URL("content.json", SEED_DATA)));
    const entries = readContentDocuments(json);
    assert.deepEqual(entries.map((entry) => entry.position), entries.map((_, at) => at + 1));

    const rejects: unknown[] = [];
    const types = { movie: 0, series: 0 };
    const contentIds = new Set<string>();
    for (const { doc, type } of entries) {
      const result = validateContent(doc, type);
      if (!result.ok) {
        rejects.push(result.reject);
        continue;
      }
      const record = ContentDocumentSchema.parse(result.record);
      assert.equal(record.type, type);
      assert.equal(typeof record.views, "number");
      for (const field of Object.keys(doc as object)) assert.ok(field in record, `${field} was dropped`);
      types[record.type]++;
      contentIds.add(record.content_id);
    }
    assert.deepEqual(rejects, []);
    assert.deepEqual(types, { movie: 200, series: 100 });
    assert.equal(contentIds.size, 300);
  },
});
