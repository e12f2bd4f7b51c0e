import assert from "node:assert/strict";
import { type InputColumn, SESSIONS_INPUT, USERS_INPUT } from "./inputs.ts";
import { MissingColumnError } from "./missing_column_error.ts";
import { normalizeHeaderName } from "./normalize_header_name.ts";
import { type HeaderKind, resolveHeader } from "./resolve_header.ts";

const USER_COLUMNS: readonly InputColumn[] = USERS_INPUT.columns;
const SESSION_COLUMNS: readonly InputColumn[] = SESSIONS_INPUT.columns;

const USERS_HEADER = [
  "user_id",
  "age",
  "country",
  "subscription_type",
  "registration_date",
  "total_watch_time_hours",
];
const SESSIONS_HEADER = [
  "session_id",
  "user_id",
  "content_id",
  "watch_date",
  "watch_duration_minutes",
  "completion_percentage",
  "device_type",
  "quality_level",
];

/** A header with every canonical column of `kind`, where `column` is written as `name` instead. */
function headerWith(kind: HeaderKind, column: string, name: string): string[] {
  return (kind === "users" ? USERS_HEADER : SESSIONS_HEADER).map((canonical) =>
    canonical === column ? name : canonical
  );
}

Deno.test("resolveHeader() maps the canonical header of each file in order", () => {
  const users = resolveHeader("users", USERS_HEADER, "users.csv");
  assert.deepEqual(users, {
    kind: "users",
    file: "users.csv",
    width: 6,
    index: {
      user_id: 0,
      age: 1,
      country: 2,
      subscription_type: 3,
      registration_date: 4,
      total_watch_time_hours: 5,
    },
    ignored: [],
  });
  const sessions = resolveHeader("sessions", [...SESSIONS_HEADER].reverse(), "viewing_sessions.csv");
  assert.equal(sessions.width, 8);
  assert.deepEqual(sessions.ignored, []);
  for (const [position, column] of [...SESSIONS_HEADER].reverse().entries()) {
    assert.equal(sessions.index[column], position);
  }
});

Deno.test("resolveHeader() accepts every alias of the contract", async (t) => {
  for (const [kind, specs] of [["users", USER_COLUMNS], ["sessions", SESSION_COLUMNS]] as const) {
    for (const { name, aliases } of specs) {
      for (const alias of aliases) {
        await t.step(`${kind}: "${alias}" is ${name}`, () => {
          const header = headerWith(kind, name, alias);
          const resolved = resolveHeader(kind, header, "file.csv");
          assert.equal(resolved.index[name], header.indexOf(alias));
          assert.deepEqual(resolved.ignored, []);
        });
      }
    }
  }
});

Deno.test("resolveHeader() lists the aliases of sections 2 and 3", () => {
  const aliases = (specs: typeof USER_COLUMNS) => Object.fromEntries(specs.map((s) => [s.name, s.aliases]));
  assert.deepEqual(aliases(USER_COLUMNS), {
    user_id: ["id", "userid", "user"],
    age: [],
    country: ["region"],
    subscription_type: ["subscription", "plan"],
    registration_date: ["signup_date", "registered"],
    total_watch_time_hours: ["watch_time_hours"],
  });
  assert.deepEqual(aliases(SESSION_COLUMNS), {
    session_id: ["id", "session"],
    user_id: ["user"],
    content_id: ["content"],
    watch_date: ["date", "watched_at"],
    watch_duration_minutes: ["duration_minutes", "duration", "minutes"],
    completion_percentage: ["completion"],
    device_type: ["device"],
    quality_level: ["quality"],
  });
});

Deno.test("resolveHeader() gives no two columns of a file the same normalised name", () => {
  for (const specs of [USER_COLUMNS, SESSION_COLUMNS]) {
    const owners = new Map<string, string>();
    for (const { name, aliases } of specs) {
      for (const key of new Set([name, ...aliases].map(normalizeHeaderName))) {
        assert.equal(owners.get(key), undefined, `"${key}" names both ${owners.get(key)} and ${name}`);
        owners.set(key, name);
      }
    }
  }
});

Deno.test("resolveHeader() matches names after normalisation", async (t) => {
  for (const name of ["User_ID", "userId", "USER ID", "user-id", "\uFEFFuser_id", " user_id "]) {
    await t.step(JSON.stringify(name), () => {
      for (const kind of ["users", "sessions"] as const) {
        const resolved = resolveHeader(kind, headerWith(kind, "user_id", name), "file.csv");
        assert.equal(resolved.index.user_id, kind === "users" ? 0 : 1);
      }
    });
  }
  await t.step("aliases are normalised too", () => {
    const resolved = resolveHeader("sessions", headerWith("sessions", "watch_date", "Watched-At"), "f.csv");
    assert.equal(resolved.index.watch_date, 3);
  });
});

Deno.test("resolveHeader() prefers an exact name over an alias and ignores the alias", () => {
  const resolved = resolveHeader("users", ["id", "age", "User ID", "notes"], "users.csv");
  assert.deepEqual(resolved.index, { user_id: 2, age: 1 });
  assert.deepEqual(resolved.ignored, ["id", "notes"]);
  const reversed = resolveHeader("sessions", [...SESSIONS_HEADER, "duration"], "viewing_sessions.csv");
  assert.equal(reversed.index.watch_duration_minutes, 4);
  assert.deepEqual(reversed.ignored, ["duration"]);
});

Deno.test("resolveHeader() keeps only present columns and lists unknown names as written", () => {
  const resolved = resolveHeader("users", ["\uFEFFuser", "Extra Notes", ""], "users.csv");
  assert.deepEqual(resolved, {
    kind: "users",
    file: "users.csv",
    width: 3,
    index: { user_id: 0 },
    ignored: ["Extra Notes", ""],
  });
});

Deno.test("resolveHeader() refuses two names for one column with the same priority", async (t) => {
  const cases: [HeaderKind, string[], string][] = [
    ["users", ["user_id", "User ID"], `columns "user_id" and "User ID" both name "user_id"`],
    ["users", ["id", "user"], `columns "id" and "user" both name "user_id"`],
    ["sessions", [...SESSIONS_HEADER, "device_type"], `columns "device_type" and "device_type" both name`],
    ["sessions", ["session", ...SESSIONS_HEADER.slice(1), "id"], `columns "session" and "id" both name`],
  ];
  for (const [kind, header, message] of cases) {
    await t.step(header.join(","), () => {
      assert.throws(() => resolveHeader(kind, header, "in.csv"), (error) => {
        assert.ok(error instanceof SyntaxError);
        assert.ok(error.message.startsWith(`Cannot load "in.csv": ${message}`), error.message);
        return true;
      });
    });
  }
});

Deno.test("resolveHeader() throws MissingColumnError for each missing required column", async (t) => {
  const cases: [HeaderKind, string][] = [
    ["users", "user_id"],
    ["sessions", "session_id"],
    ["sessions", "user_id"],
    ["sessions", "content_id"],
    ["sessions", "watch_duration_minutes"],
  ];
  for (const [kind, column] of cases) {
    await t.step(`${kind}: ${column}`, () => {
      const header = (kind === "users" ? USERS_HEADER : SESSIONS_HEADER).filter((name) => name !== column);
      assert.throws(() => resolveHeader(kind, header, "input.csv"), (error) => {
        assert.ok(error instanceof MissingColumnError);
        assert.equal(error.column, column);
        assert.equal(error.file, "input.csv");
        assert.deepEqual(error.found, header);
        return true;
      });
    });
  }
  await t.step("optional columns may be absent", () => {
    const resolved = resolveHeader("sessions", ["id", "user", "content", "minutes"], "s.csv");
    assert.deepEqual(resolved.index, { session_id: 0, user_id: 1, content_id: 2, watch_duration_minutes: 3 });
  });
});

Deno.test("resolveHeader() names the file, the column and the header as written", () => {
  assert.throws(
    () => resolveHeader("sessions", ["\uFEFFid", "device"], "viewing_sessions.csv"),
    {
      name: "MissingColumnError",
      message: `Cannot load "viewing_sessions.csv": column "user_id" is missing (found: "id", "device")`,
    },
  );
  assert.throws(() => resolveHeader("users", [], "users.csv"), {
    message: `Cannot load "users.csv": column "user_id" is missing (found: no columns)`,
  });
});

Deno.test("resolveHeader() refuses an unknown kind", () => {
  assert.throws(() => resolveHeader("films" as HeaderKind, ["id"], "films.csv"), TypeError);
  assert.throws(() => resolveHeader("constructor" as HeaderKind, ["id"], "films.csv"), TypeError);
});
