import assert from "node:assert/strict";
import { join } from "node:path";
import { readCollectionFile, writeCollectionFile } from "./collection_file.ts";

const CONTENT = {
  indexes: [{ name: "content_id_1", key: { content_id: 1 as const }, unique: true }],
  documents: [{ content_id: "c1", genre: ["Drama"] }, { content_id: "c2", title: 'Ünïcode "quoted"' }],
};

async function withFolder(fn: (folder: string) => Promise<void>): Promise<void> {
  const folder = await Deno.makeTempDir({ prefix: "collection_file_" });
  try {
    await fn(folder);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
}

Deno.test("writeCollectionFile() writes what readCollectionFile() reads, one document per line", async () => {
  await withFolder(async (folder) => {
    const path = join(folder, "content.json");
    await writeCollectionFile(path, CONTENT);
    assert.deepEqual(await readCollectionFile(path), CONTENT);
    const lines = (await Deno.readTextFile(path)).trimEnd().split("\n");
    assert.equal(lines.length, 4);
    assert.deepEqual(
      [...Deno.readDirSync(folder)].map((entry) => entry.name),
      ["content.json"],
      "no temporary file",
    );
  });
});

Deno.test("writeCollectionFile() replaces the old file whole", async () => {
  await withFolder(async (folder) => {
    const path = join(folder, "content.json");
    await writeCollectionFile(path, CONTENT);
    await writeCollectionFile(path, { indexes: [], documents: [] });
    assert.deepEqual(await readCollectionFile(path), { indexes: [], documents: [] });
  });
});

Deno.test("readCollectionFile() returns undefined for a collection never written", async () => {
  await withFolder(async (folder) => {
    assert.equal(await readCollectionFile(join(folder, "missing.json")), undefined);
  });
});

Deno.test("readCollectionFile() rejects a damaged file with a SyntaxError naming it", async (t) => {
  for (
    const [name, text] of [["truncated JSON", '{"format":"workbench-docstore/1","docu'], [
      "another layout",
      "[1, 2]",
    ]]
  ) {
    await t.step(name, async () => {
      await withFolder(async (folder) => {
        const path = join(folder, "content.json");
        await Deno.writeTextFile(path, text);
        await assert.rejects(readCollectionFile(path), (error: Error) => {
          assert.ok(error instanceof SyntaxError);
          assert.ok(error.message.startsWith(`Cannot read collection file "${path}": `), error.message);
          return true;
        });
      });
    });
  }
});

Deno.test("writeCollectionFile() names the file it cannot write", async () => {
  await withFolder(async (folder) => {
    const path = join(folder, "no_such_folder", "content.json");
    await assert.rejects(writeCollectionFile(path, CONTENT), {
      message: new RegExp(`^Cannot write collection file "${path.replaceAll(".", "\\.")}": `),
    });
  });
});
