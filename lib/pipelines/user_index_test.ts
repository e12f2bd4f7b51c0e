import assert from "node:assert/strict";
import { UserIndex } from "./session_cubes.ts";

Deno.test("UserIndex finds exactly the ids set, numbered or not, and survives a trip through its data", () => {
  const index = new UserIndex();
  const ids = ["U00001", "U00002", "U49999", "U5000000", "u00003", "X1", "U0000A", "U 0004", "U12345", ""];
  ids.forEach((id, i) => index.set(id, i));
  index.set("U00002", 7); // set again: replaced, not counted twice
  assert.equal(index.size, ids.length);
  const copy = new UserIndex(structuredClone(index.data()));
  assert.equal(copy.size, ids.length);
  for (const found of [index, copy]) {
    ids.forEach((id, i) => assert.equal(found.get(id), id === "U00002" ? 7 : i, id));
    // Same form, not set; other forms; the same number written another way.
    for (const id of ["U00000", "U00004", "U99999", "U0001", "U000001", "U1", "00001", "V00001", "U00001 "]) {
      assert.equal(found.get(id), undefined, JSON.stringify(id));
    }
  }
  // The numbered form holds the usual ids; the others are in the map.
  const data = index.data();
  assert.equal(data.numbered?.prefix, "U");
  assert.equal(data.numbered?.length, 6);
  assert.deepEqual(data.ids.sort(), ["", "U 0004", "U0000A", "U5000000", "X1", "u00003"].sort());
});

Deno.test("UserIndex without a numbered form, and with numbers past its array's limit", () => {
  const plain = new UserIndex();
  for (const id of ["alice", "bob", "U00001"]) plain.set(id, 1);
  assert.equal(plain.data().numbered, null);
  assert.equal(plain.get("U00001"), 1);
  assert.equal(plain.get("carol"), undefined);
  const wide = new UserIndex();
  wide.set("U000000001", 3);
  wide.set("U999999999", 4); // past the array's limit: kept in the map
  assert.equal(wide.get("U000000001"), 3);
  assert.equal(wide.get("U999999999"), 4);
  assert.equal(wide.get("U999999998"), undefined);
  assert.ok(wide.data().numbered!.groups.length <= 1 << 22);
});
