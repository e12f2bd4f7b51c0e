/**
 * The warehouse contract: one suite run against every adapter (SQLite always, MariaDB/MySQL when a server
 * is available, see tests/_servers.ts), plus opening errors.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  col,
  date,
  int,
  type MysqlLocation,
  openWarehouse,
  parseWarehouseUrl,
  quoteIdentifier,
  real,
  type SqlValue,
  type TableSpec,
  text,
  type Warehouse,
} from "../lib/warehouse/mod.ts";
import { integrationTest, uniqueDatabaseUrl } from "./_servers.ts";

type Open = () => Promise<Warehouse>;
type ContractCase = (open: Open, t: Deno.TestContext) => Promise<void>;

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Recreates `table` with `columns` (SQL that both engines accept). */
async function freshTable(wh: Warehouse, table: string, columns: string): Promise<void> {
  await wh.execute(`DROP TABLE IF EXISTS ${quoteIdentifier(wh.dialect, table)}`);
  await wh.execute(`CREATE TABLE ${quoteIdentifier(wh.dialect, table)} (${columns})`);
}

const TRICKY_STRINGS = [
  `it's "quoted"`,
  "back\\slash \\N \\t",
  "new\nline\r\nand CRLF",
  "tab\there",
  "unicode é ü 中文 😀",
  "question mark ? and ?? placeholders",
  "NULL",
  "",
  "  spaces kept  ",
];

const CONTRACT: Record<string, ContractCase> = {
  "execute() and query() round-trip numbers, NULL, tricky strings and dates": async (open) => {
    await using wh = await open();
    await freshTable(
      wh,
      "types",
      "id INTEGER PRIMARY KEY, n INTEGER, x DOUBLE, amount DECIMAL(12,2), s VARCHAR(200), d DATE, dt DATETIME",
    );
    const rows: SqlValue[][] = TRICKY_STRINGS.map((
      s,
      i,
    ) => [i, i * 10 - 30, i / 4, 1000.25 + i, s, null, null]);
    rows.push([100, null, null, null, null, "2024-02-29", "2024-03-01 23:59:58"]);
    let inserted = 0;
    for (const row of rows) {
      inserted += await wh.execute(
        "INSERT INTO types (id, n, x, amount, s, d, dt) VALUES (?, ?, ?, ?, ?, ?, ?)",
        row,
      );
    }
    assert.equal(inserted, rows.length);
    const back = await wh.query("SELECT id, n, x, amount, s, d, dt FROM types ORDER BY id");
    assert.deepEqual(
      back,
      rows.map(([id, n, x, amount, s, d, dt]) => ({ id, n, x, amount, s, d, dt })),
    );
    const [one] = await wh.query("SELECT s FROM types WHERE s = ?", ["question mark ? and ?? placeholders"]);
    assert.deepEqual(one, { s: "question mark ? and ?? placeholders" });

    const [totals] = await wh.query<Record<string, unknown>>(
      "SELECT COUNT(*) AS n, SUM(amount) AS amount, SUM(n) AS sum_n, AVG(n) AS avg_n, MIN(d) AS first_day " +
        "FROM types",
    );
    const expectedAmount = TRICKY_STRINGS.reduce((sum, _, i) => sum + 1000.25 + i, 0);
    const expectedSumN = TRICKY_STRINGS.reduce((sum, _, i) => sum + i * 10 - 30, 0);
    assert.equal(totals.n, rows.length);
    assert.equal(totals.amount, expectedAmount);
    assert.equal(totals.sum_n, expectedSumN);
    assert.equal(totals.avg_n, expectedSumN / TRICKY_STRINGS.length);
    assert.equal(totals.first_day, "2024-02-29");

    assert.equal(await wh.execute("UPDATE types SET n = n + 1 WHERE id < ?", [3]), 3);
    assert.equal(await wh.execute("DELETE FROM types WHERE id >= ?", [100]), 1);
    assert.equal(await wh.execute("DELETE FROM types WHERE id = ?", [-1]), 0);
  },

  "upsert() counts inserted, updated and unchanged rows": async (open, t) => {
    await using wh = await open();
    await freshTable(wh, "upserts", "id VARCHAR(20) PRIMARY KEY, n INTEGER, label VARCHAR(20)");
    const upsert = (rows: SqlValue[][]) => wh.upsert("upserts", ["id", "n", "label"], ["id"], rows);
    const table = () => wh.query("SELECT id, n, label FROM upserts ORDER BY id");
    const base: SqlValue[][] = [["a", 1, "x"], ["b", 2, null], ["c", 3, "z"]];
    const cases: [string, SqlValue[][], [number, number, number], SqlValue[][]][] = [
      ["insert 3", base, [3, 0, 0], base],
      ["same again", base, [0, 0, 3], base],
      ["change one", [["a", 1, "x"], ["b", 2, "now set"], ["c", 3, "z"]], [0, 1, 2], [
        ["a", 1, "x"],
        ["b", 2, "now set"],
        ["c", 3, "z"],
      ]],
      ["value back to NULL", [["b", 2, null]], [0, 1, 0], [["a", 1, "x"], ["b", 2, null], ["c", 3, "z"]]],
      ["NULL again is unchanged", [["b", 2, null]], [0, 0, 1], [["a", 1, "x"], ["b", 2, null], [
        "c",
        3,
        "z",
      ]]],
      ["repeated new key: last wins", [["d", 1, "first"], ["d", 2, "last"]], [1, 1, 0], [
        ["a", 1, "x"],
        ["b", 2, null],
        ["c", 3, "z"],
        ["d", 2, "last"],
      ]],
      ["repeated existing key: last wins", [["a", 7, "x"], ["a", 8, "x"], ["a", 8, "x"]], [0, 2, 1], [
        ["a", 8, "x"],
        ["b", 2, null],
        ["c", 3, "z"],
        ["d", 2, "last"],
      ]],
      ["nothing to do", [], [0, 0, 0], [["a", 8, "x"], ["b", 2, null], ["c", 3, "z"], ["d", 2, "last"]]],
    ];
    for (const [name, rows, [inserted, updated, unchanged], expected] of cases) {
      await t.step(name, async () => {
        assert.deepEqual(await upsert(rows), { inserted, updated, unchanged });
        assert.deepEqual(await table(), expected.map(([id, n, label]) => ({ id, n, label })));
      });
    }
  },

  "upsert() counts right across many chunks, composite keys and key-only tables": async (open) => {
    await using wh = await open();
    await freshTable(wh, "chunks", "a INTEGER, b VARCHAR(10), v INTEGER, PRIMARY KEY (a, b)");
    const rows = (version: (i: number) => number): SqlValue[][] =>
      Array.from({ length: 5000 }, (_, i) => [i % 2500, i < 2500 ? "x" : "y", version(i)]);
    assert.deepEqual(await wh.upsert("chunks", ["a", "b", "v"], ["a", "b"], rows(() => 0)), {
      inserted: 5000,
      updated: 0,
      unchanged: 0,
    });
    assert.deepEqual(
      await wh.upsert("chunks", ["a", "b", "v"], ["a", "b"], rows((i) => (i % 7 === 0 ? 1 : 0))),
      {
        inserted: 0,
        updated: 715,
        unchanged: 4285,
      },
    );
    const [{ total }] = await wh.query<{ total: number }>("SELECT SUM(v) AS total FROM chunks");
    assert.equal(total, 715);

    await freshTable(wh, "keys_only", "k VARCHAR(10) PRIMARY KEY");
    assert.deepEqual(await wh.upsert("keys_only", ["k"], ["k"], [["a"], ["b"]]), {
      inserted: 2,
      updated: 0,
      unchanged: 0,
    });
    assert.deepEqual(await wh.upsert("keys_only", ["k"], ["k"], [["a"], ["c"]]), {
      inserted: 1,
      updated: 0,
      unchanged: 1,
    });
  },

  "upsert() rejects bad rows and changes nothing": async (open) => {
    await using wh = await open();
    await freshTable(wh, "strict_upsert", "id VARCHAR(10) PRIMARY KEY, n INTEGER");
    await assert.rejects(
      wh.upsert("strict_upsert", ["id", "n"], ["id"], [["a", 1], ["b"]]),
      { name: "RangeError", message: 'Cannot upsert into "strict_upsert": row 2 has 1 values for 2 columns' },
    );
    await assert.rejects(
      wh.upsert("strict_upsert", ["id", "n"], ["nope"], [["a", 1]]),
      { name: "RangeError", message: /key column "nope" is not among the columns/ },
    );
    await assert.rejects(
      wh.upsert("missing_table", ["id"], ["id"], [["a"]]),
      /^Error: Cannot upsert into "missing_table"/,
    );
    assert.deepEqual(await wh.query("SELECT COUNT(*) AS n FROM strict_upsert"), [{ n: 0 }]);
  },

  "bulkInsert() loads 50k rows from an async generator intact": async (open) => {
    await using wh = await open();
    await freshTable(wh, "bulk", "id INTEGER PRIMARY KEY, n INTEGER, x DOUBLE, s VARCHAR(100), d DATE");
    const makeRows = function* (): Generator<SqlValue[]> {
      const random = seededRandom(42);
      for (let id = 0; id < 50_000; id++) {
        const r = random();
        const s = r < 0.05
          ? null
          : r < 0.1
          ? TRICKY_STRINGS[id % TRICKY_STRINGS.length]
          : `name ${id} ${r.toFixed(6)}`;
        const day = String(1 + (id % 28)).padStart(2, "0");
        yield [
          id,
          Math.floor(r * 1e6) - 500_000,
          Math.round(r * 1e4) / 100,
          s,
          r < 0.02 ? null : `2024-01-${day}`,
        ];
      }
    };
    async function* batches(): AsyncGenerator<SqlValue[][]> {
      let batch: SqlValue[][] = [];
      for (const row of makeRows()) {
        batch.push(row);
        if (batch.length === 1234) {
          yield batch;
          batch = [];
          await Promise.resolve();
        }
      }
      yield batch;
    }
    assert.equal(await wh.bulkInsert("bulk", ["id", "n", "x", "s", "d"], batches()), 50_000);

    const stored = await wh.query<{ id: number; n: number; x: number; s: string | null; d: string | null }>(
      "SELECT id, n, x, s, d FROM bulk ORDER BY id",
    );
    assert.equal(stored.length, 50_000);
    let mismatches = 0;
    let i = 0;
    for (const [id, n, x, s, d] of makeRows()) {
      const row = stored[i++];
      if (row.id !== id || row.n !== n || row.x !== x || row.s !== s || row.d !== d) {
        if (mismatches++ === 0) assert.deepEqual(row, { id, n, x, s, d }, `row ${id} differs`);
      }
    }
    assert.equal(mismatches, 0);
    const [sums] = await wh.query<{ n: number; sum_n: number; nulls: number }>(
      "SELECT COUNT(*) AS n, SUM(n) AS sum_n, SUM(CASE WHEN s IS NULL THEN 1 ELSE 0 END) AS nulls FROM bulk",
    );
    const expected = [...makeRows()].reduce(
      (acc, [, n, , s]) => ({
        n: acc.n + 1,
        sum_n: acc.sum_n + (n as number),
        nulls: acc.nulls + (s === null ? 1 : 0),
      }),
      { n: 0, sum_n: 0, nulls: 0 },
    );
    assert.deepEqual(sums, expected);
  },

  "bulkInsert() takes plain arrays and is all or nothing": async (open) => {
    await using wh = await open();
    await freshTable(wh, "bulk_atomic", "id VARCHAR(10) PRIMARY KEY, n INTEGER");
    assert.equal(await wh.bulkInsert("bulk_atomic", ["id", "n"], [[["a", 1], ["b", 2]], [], [["c", 3]]]), 3);
    assert.equal(await wh.bulkInsert("bulk_atomic", ["id", "n"], []), 0);
    await assert.rejects(
      wh.bulkInsert("bulk_atomic", ["id", "n"], [[["d", 4], ["a", 9]]]),
      /^Error: Cannot bulk insert into "bulk_atomic": .*(Duplicate entry|UNIQUE constraint)/,
    );
    async function* failing(): AsyncGenerator<SqlValue[][]> {
      yield [["e", 5]];
      throw new Error("source broke");
    }
    await assert.rejects(wh.bulkInsert("bulk_atomic", ["id", "n"], failing()), /source broke/);
    await assert.rejects(
      wh.bulkInsert("bulk_atomic", ["id", "n"], [[["f", 6]], [["g", Number.NaN]]]),
      {
        name: "RangeError",
        message:
          'Cannot bulk insert into "bulk_atomic": row 2, column "n" holds NaN (expected a string, a finite number or null)',
      },
    );
    assert.deepEqual(await wh.query("SELECT id FROM bulk_atomic ORDER BY id"), [{ id: "a" }, { id: "b" }, {
      id: "c",
    }]);
  },

  "bulkInsert() with replace lets the last row of a key win, across batches and stored rows": async (
    open,
  ) => {
    await using wh = await open();
    await freshTable(wh, "bulk_replace", "id VARCHAR(10) PRIMARY KEY, n INTEGER, s VARCHAR(20)");
    await wh.bulkInsert("bulk_replace", ["id", "n", "s"], [[["stored", 1, "old"], ["kept", 2, "kept"]]]);
    const batches = [
      [["a", 1, "first"], ["b", 2, "b"], ["a", 3, "second"]],
      [],
      [["stored", 4, "new"], ["a", 5, "last"]],
    ];
    assert.equal(await wh.bulkInsert("bulk_replace", ["id", "n", "s"], batches, { replace: true }), 5);
    assert.deepEqual(await wh.query("SELECT id, n, s FROM bulk_replace ORDER BY id"), [
      { id: "a", n: 5, s: "last" },
      { id: "b", n: 2, s: "b" },
      { id: "kept", n: 2, s: "kept" },
      { id: "stored", n: 4, s: "new" },
    ]);
    async function* failing(): AsyncGenerator<SqlValue[][]> {
      yield [["a", 9, "never"]];
      throw new Error("source broke");
    }
    await assert.rejects(
      wh.bulkInsert("bulk_replace", ["id", "n", "s"], failing(), { replace: true }),
      /broke/,
    );
    assert.deepEqual(await wh.query("SELECT n FROM bulk_replace WHERE id = 'a'"), [{ n: 5 }]);
  },

  "transaction() commits, or rolls back and rethrows": async (open, t) => {
    await using wh = await open();
    await freshTable(wh, "ledger", "id VARCHAR(10) PRIMARY KEY, n INTEGER");
    const ids = async () =>
      (await wh.query<{ id: string }>("SELECT id FROM ledger ORDER BY id")).map((r) => r.id);

    await t.step("commit", async () => {
      const result = await wh.transaction(async (tx) => {
        await tx.execute("INSERT INTO ledger (id, n) VALUES (?, ?)", ["a", 1]);
        await tx.upsert("ledger", ["id", "n"], ["id"], [["b", 2]]);
        await tx.bulkInsert("ledger", ["id", "n"], [[["c", 3]]]);
        return (await tx.query<{ n: number }>("SELECT COUNT(*) AS n FROM ledger"))[0].n;
      });
      assert.equal(result, 3);
      assert.deepEqual(await ids(), ["a", "b", "c"]);
    });

    await t.step("rollback", async () => {
      const failure = new Error("stop here");
      await assert.rejects(
        wh.transaction(async (tx) => {
          await tx.execute("DELETE FROM ledger WHERE id = ?", ["a"]);
          await tx.upsert("ledger", ["id", "n"], ["id"], [["d", 4], ["b", 20]]);
          await tx.bulkInsert("ledger", ["id", "n"], [[["e", 5]]]);
          throw failure;
        }),
        (error) => error === failure,
      );
      assert.deepEqual(await wh.query("SELECT id, n FROM ledger ORDER BY id"), [
        { id: "a", n: 1 },
        { id: "b", n: 2 },
        { id: "c", n: 3 },
      ]);
    });

    await t.step("a failed write inside keeps the rest of the transaction", async () => {
      await wh.transaction(async (tx) => {
        await tx.execute("INSERT INTO ledger (id, n) VALUES (?, ?)", ["f", 6]);
        await assert.rejects(tx.bulkInsert("ledger", ["id", "n"], [[["g", 7], ["a", 1]]]));
        await tx.transaction(async (inner) => {
          await inner.execute("INSERT INTO ledger (id, n) VALUES (?, ?)", ["h", 8]);
          await inner.upsert("ledger", ["id", "n"], ["id"], [["h", 80]]);
          await inner.transaction(async (innermost) => {
            await innermost.bulkInsert("ledger", ["id", "n"], [[["j", 10]]]);
            await innermost.execute("DELETE FROM ledger WHERE id = ?", ["j"]);
          });
        });
        await assert.rejects(
          tx.transaction(async (inner) => {
            await inner.execute("INSERT INTO ledger (id, n) VALUES (?, ?)", ["i", 9]);
            throw new Error("inner fails");
          }),
          /inner fails/,
        );
      });
      assert.deepEqual(await ids(), ["a", "b", "c", "f", "h"]);
      assert.deepEqual(await wh.query("SELECT n FROM ledger WHERE id = ?", ["h"]), [{ n: 80 }]);
    });

    await t.step("a transaction cannot be used after it ended", async () => {
      let escaped: Warehouse | undefined;
      await wh.transaction((tx) => {
        escaped = tx;
        return Promise.resolve();
      });
      await assert.rejects(escaped!.query("SELECT 1"), /after it has ended/);
    });
  },

  "quoteIdentifier() makes odd table and column names usable": async (open) => {
    await using wh = await open();
    const table = 'odd "table`name';
    const q = (name: string) => quoteIdentifier(wh.dialect, name);
    await wh.execute(`DROP TABLE IF EXISTS ${q(table)}`);
    await wh.execute(
      `CREATE TABLE ${q(table)} (${q("select")} VARCHAR(10) PRIMARY KEY, ${q("my col")} INTEGER)`,
    );
    assert.deepEqual(await wh.upsert(table, ["select", "my col"], ["select"], [["a", 1]]), {
      inserted: 1,
      updated: 0,
      unchanged: 0,
    });
    assert.equal(await wh.bulkInsert(table, ["select", "my col"], [[["b", 2]]]), 1);
    assert.deepEqual(await wh.query(`SELECT ${q("select")}, ${q("my col")} FROM ${q(table)} ORDER BY 1`), [
      { select: "a", "my col": 1 },
      { select: "b", "my col": 2 },
    ]);
    await wh.execute(`DROP TABLE ${q(table)}`);
  },

  "the dialect's DDL, temporary tables and error tests work on its engine": async (open) => {
    await using wh = await open();
    const { sql } = wh;
    const table: TableSpec = {
      name: "dialect_t",
      columns: [col("id", text(8)), col("n", int), col("share", real, true), col("day", date, true)],
      primaryKey: ["id"],
      indexes: [{ name: "ix_dialect_t_n", columns: ["n"] }],
    };
    await wh.execute(sql.dropTable(table.name));
    for (const statement of sql.createTable(table)) await wh.execute(statement);
    await wh.upsert(table.name, ["id", "n", "share", "day"], ["id"], [["a", 1, 0.5, "2024-01-02"], [
      "b",
      3,
      null,
      null,
    ]]);
    const indexes = (await wh.query<{ name: string }>(sql.indexNamesSql, [table.name])).map((r) => r.name);
    assert.ok(indexes.includes("ix_dialect_t_n"), `index listed: ${indexes}`);
    const tables = (await wh.query<{ name: string }>(sql.catalog.tablesSql)).map((r) => r.name);
    assert.ok(tables.includes("dialect_t"), `tables listed: ${tables}`);
    const columns = await wh.query<{ name: string; nullable: number; pk: number }>(sql.catalog.columnsSql, [
      table.name,
    ]);
    assert.deepEqual(
      columns.map((c) => [c.name, Number(c.nullable), Number(c.pk)]),
      [["id", 0, 1], ["n", 0, 0], ["share", 1, 0], ["day", 1, 0]],
    );
    assert.deepEqual(
      (await wh.query<{ name: string; col: string }>(sql.catalog.indexColumnsSql, [table.name]))
        .map((r) => [r.name, r.col]),
      [["ix_dialect_t_n", "n"]],
    );
    const [{ db }] = await wh.query<{ db: string }>(sql.catalog.databaseSql);
    assert.equal(typeof db, "string");
    await wh.execute(sql.dropIndex(table.name, "ix_dialect_t_n"));
    await wh.execute(sql.createIndex(table.name, { name: "ix_dialect_t_n", columns: ["n"] }));
    await wh.transaction(async (tx) => {
      await tx.execute(tx.sql.dropTempTable("tmp_dialect"));
      const temp = tx.sql.createTempTableAs(
        "tmp_dialect",
        ["id"],
        `SELECT id, n FROM dialect_t WHERE n > ?`,
        [
          { name: "id", type: { kind: "text", length: 20 } },
          { name: "n", type: { kind: "int" }, nullable: true },
        ],
      );
      for (const [i, statement] of temp.statements.entries()) {
        await tx.execute(statement, i === temp.fill ? [0] : []);
      }
      const [{ avg }] = await tx.query<{ avg: number }>(
        `SELECT ${tx.sql.real("SUM(n)")} / COUNT(*) AS avg FROM tmp_dialect`,
      );
      assert.equal(avg, 2);
      await tx.execute(tx.sql.dropTempTable("tmp_dialect"));
    });
    await wh.execute(sql.truncate(table.name));
    assert.deepEqual(await wh.query("SELECT * FROM dialect_t"), []);
    const missing = await wh.query("SELECT * FROM no_such_table_here").then(
      () => undefined,
      (error) => error,
    );
    assert.ok(missing, "querying a missing table fails");
    assert.equal(sql.isMissingTable(missing), true);
    assert.equal(sql.isTransient(missing), false);
    assert.equal(sql.isMissingTable(new Error("something else")), false);
    await wh.execute(sql.dropTable(table.name));
  },

  "await using closes the warehouse": async (open) => {
    let escaped: Warehouse;
    {
      await using wh = await open();
      escaped = wh;
      assert.deepEqual(await wh.query("SELECT 1 AS one"), [{ one: 1 }]);
    }
    await assert.rejects(escaped.query("SELECT 1 AS one"));
  },
};

/** Registers every contract case as a step of the calling test. */
async function runContract(t: Deno.TestContext, open: Open): Promise<void> {
  for (const [name, run] of Object.entries(CONTRACT)) {
    await t.step(name, (step) => run(open, step));
  }
}

Deno.test("SQLite warehouse keeps the warehouse contract", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "warehouse_contract_" });
  try {
    const url = `sqlite:${join(dir, "nested", "folder", "warehouse.db")}`;
    await runContract(t, async () => {
      const wh = await openWarehouse(url);
      assert.equal(wh.dialect, "sqlite");
      assert.equal(wh.label, url);
      return wh;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

integrationTest("mysql", "MariaDB warehouse keeps the warehouse contract", async (serverUrl, t) => {
  const url = uniqueDatabaseUrl(serverUrl, "warehouse_contract");
  try {
    await runContract(t, async () => {
      const wh = await openWarehouse(url);
      assert.equal(wh.dialect, "mysql");
      assert.doesNotMatch(wh.label, /:[^@/]*@/, "the label carries no password");
      return wh;
    });
  } finally {
    await using wh = await openWarehouse(url);
    await wh.execute(
      `DROP DATABASE IF EXISTS ${quoteIdentifier("mysql", url.slice(url.lastIndexOf("/") + 1))}`,
    );
  }
});

Deno.test("SQLite warehouse: a transaction makes other callers wait for it", async () => {
  await using wh = await openWarehouse("sqlite::memory:");
  await freshTable(wh, "queue", "id INTEGER PRIMARY KEY");
  const events: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  const inTransaction = wh.transaction(async (tx) => {
    await tx.execute("INSERT INTO queue (id) VALUES (1)");
    events.push("tx wrote");
    await gate;
    events.push("tx done");
    throw new Error("roll back");
  });
  const outside = wh.execute("INSERT INTO queue (id) VALUES (2)").then(() => events.push("outside wrote"));
  await Promise.resolve();
  release();
  await assert.rejects(inTransaction, /roll back/);
  await outside;
  assert.deepEqual(events, ["tx wrote", "tx done", "outside wrote"]);
  assert.deepEqual(
    await wh.query("SELECT id FROM queue"),
    [{ id: 2 }],
    "the outside write survived the rollback",
  );
});

Deno.test("openWarehouse() puts sqlite: without a path in the state folder, and opens sqlite::memory:", async () => {
  const dir = await Deno.makeTempDir({ prefix: "warehouse_state_" });
  try {
    const stateDir = join(dir, "state");
    {
      await using wh = await openWarehouse("sqlite:", { stateDir });
      assert.equal(wh.label, `sqlite:${join(stateDir, "warehouse.db")}`);
      await wh.execute("CREATE TABLE t (id INTEGER)");
    }
    assert.ok((await Deno.stat(join(stateDir, "warehouse.db"))).isFile);
    await using memory = await openWarehouse("sqlite::memory:");
    assert.equal(memory.label, "sqlite::memory:");
    assert.deepEqual(await memory.query("SELECT 1 + 1 AS two"), [{ two: 2 }]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openWarehouse() rejects bad URLs with a TypeError naming the URL without its password", async (t) => {
  const cases: [string, RegExp][] = [
    [
      "postgres://etl:secret@127.0.0.1/db",
      /^Cannot use warehouse URL "postgres:\/\/etl:\*\*\*@127.0.0.1\/db": unsupported scheme/,
    ],
    [
      "mysql://etl:secret@127.0.0.1:3306/",
      /^Cannot use warehouse URL "mysql:\/\/etl:\*\*\*@127.0.0.1:3306\/": the database name is missing$/,
    ],
    ["warehouse.db", /no scheme/],
  ];
  for (const [url, message] of cases) {
    await t.step(url, async () => {
      await assert.rejects(openWarehouse(url), (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assert.match(error.message, message);
        assert.doesNotMatch(error.message, /secret/);
        return true;
      });
    });
  }
});

Deno.test("openWarehouse() says in one sentence that a MySQL server is unreachable", async () => {
  // Nothing listens on port 1 of the loopback interface.
  await assert.rejects(openWarehouse("mysql://etl:secret@127.0.0.1:1/workbench"), (error: unknown) => {
    assert.ok(error instanceof Error);
    assert.equal(error.message, "Cannot connect to MySQL at 127.0.0.1:1: connection refused");
    assert.ok(error.cause, "the driver's error is kept as cause");
    return true;
  });
});

integrationTest(
  "mysql",
  "openWarehouse() creates a missing MySQL database with binary collation",
  async (serverUrl) => {
    const url = uniqueDatabaseUrl(serverUrl, "warehouse_autocreate");
    const database = url.slice(url.lastIndexOf("/") + 1);
    {
      await using wh = await openWarehouse(url);
      await wh.execute(`DROP DATABASE ${quoteIdentifier("mysql", database)}`);
    }
    await using wh = await openWarehouse(url);
    try {
      assert.deepEqual(
        await wh.query(
          "SELECT DATABASE() AS current_db, DEFAULT_COLLATION_NAME AS collation FROM information_schema.SCHEMATA " +
            "WHERE SCHEMA_NAME = ?",
          [database],
        ),
        [{ current_db: database, collation: "utf8mb4_bin" }],
      );
      assert.deepEqual(await wh.query("SELECT @@session.time_zone AS tz"), [{ tz: "+00:00" }]);
    } finally {
      await wh.execute(`DROP DATABASE IF EXISTS ${quoteIdentifier("mysql", database)}`);
    }
  },
);

integrationTest(
  "mysql",
  "openWarehouse() reports a wrong MySQL password in one sentence",
  async (serverUrl) => {
    const { host, port, user } = parseWarehouseUrl(serverUrl) as MysqlLocation;
    const url = `mysql://${encodeURIComponent(user)}:not-the-password@${host}:${port}/workbench_test`;
    await assert.rejects(openWarehouse(url), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal(
        error.message,
        `Cannot connect to MySQL at ${host}:${port}: access denied for user "${user}"`,
      );
      return true;
    });
  },
);

integrationTest(
  "mysql",
  "bulkInsert() on MySQL without LOAD DATA falls back to INSERTs",
  async (serverUrl) => {
    const url = uniqueDatabaseUrl(serverUrl, "warehouse_no_load_data");
    await using wh = await openWarehouse(url, { loadData: false });
    try {
      await freshTable(wh, "fallback", "id INTEGER PRIMARY KEY, s VARCHAR(100)");
      const rows: SqlValue[][] = Array.from(
        { length: 4500 },
        (_, i) => [i, TRICKY_STRINGS[i % TRICKY_STRINGS.length]],
      );
      assert.equal(await wh.bulkInsert("fallback", ["id", "s"], [rows.slice(0, 100), rows.slice(100)]), 4500);
      const stored = await wh.query<{ id: number; s: string }>("SELECT id, s FROM fallback ORDER BY id");
      assert.deepEqual(stored.map(({ id, s }) => [id, s]), rows);
      await assert.rejects(
        wh.bulkInsert("fallback", ["id", "s"], [[[9999, "new"], [0, "duplicate"]]]),
        /Duplicate entry/,
      );
      assert.deepEqual(await wh.query("SELECT COUNT(*) AS n FROM fallback"), [{ n: 4500 }]);
    } finally {
      await wh.execute(
        `DROP DATABASE IF EXISTS ${quoteIdentifier("mysql", url.slice(url.lastIndexOf("/") + 1))}`,
      );
    }
  },
);
