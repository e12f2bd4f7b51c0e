import {
  DEVICES,
  INPUTS,
  resolveHeader,
  SESSIONS_INPUT,
  SUBSCRIPTION_TYPES,
  USERS_INPUT,
} from "../../contract/mod.ts";
import type { DagNode } from "../../dag/mod.ts";
import { openCsv } from "../../extract/mod.ts";
import { formatTimestamp } from "../run_store.ts";
import { DATA_TABLES, dropTables, ensureTables, SCHEMA_VERSION } from "../schema.ts";
import type { PipelineServices } from "../services.ts";
import { createUserMetrics } from "./user_metrics.ts";
import { generateStats } from "./generate_stats.ts";
import {
  COUNTRY_CONTENT_CUBE_READ,
  countryContentCubeRead,
  readUserGroups,
  SESSION_CUBE_READ,
  sessionCubeRead,
  SessionCubes,
} from "../session_cubes.ts";
import type { SessionsValidation } from "./row_validators.ts";
import { loadKeyedCsv } from "./load_keyed_csv.ts";
import { validateData } from "./validate_data.ts";
import { generateStatsFromCube, loadUsersUnlessUnchanged, updateUserMetrics } from "./incremental.ts";
import {
  listPartitionFiles,
  loadSessionPartitions,
  sessionPartitionsDir,
  unchangedPartitionFiles,
} from "./partitions.ts";

type Node = DagNode<PipelineServices>;

/** Monthly prices of the subscription plans (data contract, section 7). */
export const SUBSCRIPTION_PRICES: Record<(typeof SUBSCRIPTION_TYPES)[number], number> = {
  Basic: 5.99,
  Standard: 9.99,
  Premium: 14.99,
};

const validateFiles: Node = {
  id: "validate_files",
  pipeline: "relational",
  name: "Validate files",
  description:
    "Checks that the inputs exist and are readable, and that the CSV headers have every required column.",
  dependencies: [],
  async run({ services, progress }) {
    const { files } = services;
    const checked = [];
    const partitionsDir = sessionPartitionsDir(files);
    for (const input of INPUTS) {
      const path = files[input.kind];
      if (input === SESSIONS_INPUT && partitionsDir) {
        const days = await listPartitionFiles(partitionsDir);
        if (days.length === 0) throw new Error(`"${partitionsDir}" has no .csv file`);
        // A file the ledger has with the same size and mtime had its header checked when it was loaded.
        const loaded = await unchangedPartitionFiles(services, days);
        for (const day of days) {
          if (loaded.has(day.path)) continue;
          await using csv = await openCsv(day.path, {
            encoding: services.encoding,
            maxLineBytes: services.maxLineBytes,
          });
          resolveHeader(input, csv.header, `${input.file.replace(/\.csv$/, "")}/${csv.file}`);
        }
        checked.push({
          file: `${input.file.replace(/\.csv$/, "")}/`,
          partitions: days.length,
          headersChecked: days.length - loaded.size,
        });
        progress({ rowsRead: checked.length });
        continue;
      }
      await using csv = await openCsv(path, {
        encoding: services.encoding,
        maxLineBytes: services.maxLineBytes,
      });
      const header = resolveHeader(input, csv.header, csv.file);
      const { size } = await Deno.stat(path);
      checked.push({ file: csv.file, bytes: size, columns: header.index, ignored: header.ignored });
      progress({ rowsRead: checked.length });
    }
    const content = await Deno.stat(files.content).catch((error) => {
      throw new Error(`Cannot read "${files.content}": the file does not exist`, { cause: error });
    });
    checked.push({ file: "content.json", bytes: content.size });
    return { rowsRead: 0, rowsWritten: 0, rowsRejected: 0, details: { files: checked } };
  },
};

const createSchema: Node = {
  id: "create_schema",
  pipeline: "relational",
  table: { name: "etl_schema", orderBy: "id" },
  name: "Create schema",
  description: "Creates the warehouse tables if missing (idempotent); --fresh drops and recreates them.",
  dependencies: ["validate_files"],
  async run({ services }) {
    const wh = services.warehouse;
    const [existing] = await wh.query<{ version: number }>("SELECT version FROM etl_schema WHERE id = 1");
    if (existing && existing.version > SCHEMA_VERSION) {
      throw new Error(
        `Cannot use this warehouse: its schema version ${existing.version} is newer than this workbench's ${SCHEMA_VERSION}`,
      );
    }
    if (services.fresh || (existing && existing.version < SCHEMA_VERSION)) await dropTables(wh, DATA_TABLES);
    await ensureTables(wh, DATA_TABLES);
    if (!existing || existing.version !== SCHEMA_VERSION || services.fresh) {
      await wh.upsert("etl_schema", ["id", "version", "applied_at"], ["id"], [
        [1, SCHEMA_VERSION, formatTimestamp(new Date())],
      ]);
    }
    return {
      rowsRead: 0,
      rowsWritten: 0,
      rowsRejected: 0,
      details: { version: SCHEMA_VERSION, tables: DATA_TABLES.map((t) => t.name), dropped: services.fresh },
    };
  },
};

const loadDimensions: Node = {
  id: "load_dimensions",
  pipeline: "relational",
  table: { name: "device_types", orderBy: "sort_order" },
  name: "Load dimensions",
  description: "Upserts the device types and the subscription plans with their prices.",
  dependencies: ["create_schema"],
  async run({ services }) {
    const wh = services.warehouse;
    const devices = await wh.upsert(
      "device_types",
      ["device_type", "sort_order"],
      ["device_type"],
      DEVICES.map((d, i) => [d, i + 1]),
    );
    const plans = await wh.upsert(
      "subscription_types",
      ["subscription_type", "monthly_price"],
      ["subscription_type"],
      SUBSCRIPTION_TYPES.map((s) => [s, SUBSCRIPTION_PRICES[s]]),
    );
    const rows = DEVICES.length + SUBSCRIPTION_TYPES.length;
    return {
      rowsRead: rows,
      rowsWritten: devices.inserted + devices.updated + plans.inserted + plans.updated,
      rowsRejected: 0,
      details: { device_types: devices, subscription_types: plans },
    };
  },
};

const processUsers: Node = {
  id: "process_users",
  name: "Process users",
  description: "Validates users.csv row by row, stores rejects with their reason, upserts the users.",
  dependencies: ["load_dimensions"],
  pipeline: "relational",
  table: { name: USERS_INPUT.table, orderBy: USERS_INPUT.key },
  input: USERS_INPUT.file,
  run: (ctx) => {
    const load = async () => {
      const { validation: _, ...outcome } = await loadKeyedCsv(ctx, {
        input: USERS_INPUT,
        path: ctx.services.files.users,
        validator: () => ({ name: "users", init: null }),
      });
      return outcome;
    };
    return sessionPartitionsDir(ctx.services.files) ? loadUsersUnlessUnchanged(ctx, load) : load();
  },
};

const processSessions: Node = {
  id: "process_sessions",
  name: "Process sessions",
  description:
    "Validates viewing_sessions.csv against the users, stages accepted rows, upserts the last row of each session.",
  dependencies: ["process_users"],
  pipeline: "relational",
  table: { name: SESSIONS_INPUT.table, orderBy: SESSIONS_INPUT.key },
  input: SESSIONS_INPUT.file,
  async run(ctx) {
    const partitionsDir = sessionPartitionsDir(ctx.services.files);
    if (partitionsDir) return await loadSessionPartitions(ctx, partitionsDir);
    const wh = ctx.services.warehouse;
    let cubes: SessionCubes | undefined;
    const { validation, ...outcome } = await loadKeyedCsv(ctx, {
      input: SESSIONS_INPUT,
      path: ctx.services.files.sessions,
      validator: async (mode, resumed) => {
        const users = await readUserGroups(wh);
        // Only a fresh direct load can use the sums (see below): a staged or resumed one skips the work.
        if (mode === "direct" && !resumed) cubes = SessionCubes.fromUsers(users);
        return { name: "sessions", init: { users } };
      },
      // Summed here, from each batch, while the worker validates the next one.
      onAccepted: (rows, columns) => cubes?.addRows(rows, columns),
    });
    const { missingWatchDate } = validation as SessionsValidation;
    // Streamed into an empty table with no row replaced: the table holds exactly the rows added up, so the
    // statistics nodes take the cubes instead of scanning the sessions again (session_cubes.ts).
    const summed = cubes !== undefined && outcome.details.duplicates === 0;
    if (summed && ctx.services.readAhead) {
      const { session, countryContent } = cubes!.rows();
      ctx.services.readAhead.provide(SESSION_CUBE_READ, sessionCubeRead(wh, session));
      ctx.services.readAhead.provide(COUNTRY_CONTENT_CUBE_READ, countryContentCubeRead(countryContent));
    }
    return {
      ...outcome,
      details: { ...outcome.details, missingWatchDate, cubes: summed ? "summed while loading" : "scanned" },
    };
  },
};

const createAggregations: Node = {
  id: "create_aggregations",
  pipeline: "relational",
  table: { name: "user_metrics", orderBy: "user_id" },
  name: "Create aggregations",
  description: "Computes user_metrics (totals, averages, favourite device, first and last activity) in SQL.",
  dependencies: ["process_sessions"],
  run: (ctx) =>
    sessionPartitionsDir(ctx.services.files)
      ? updateUserMetrics(ctx)
      : createUserMetrics(ctx.services.warehouse),
};

const validateDataNode: Node = {
  id: "validate_data",
  pipeline: "relational",
  // Every check of the run, without the run id the whole table shares.
  table: {
    name: "etl_checks",
    orderBy: "check_name",
    columns: "check_name, status, observed, expected, message",
    rows: 50,
  },
  name: "Validate data",
  description:
    "Blocking quality checks: counts, per-file reconciliation, orphans, metrics totals, missing dates.",
  dependencies: ["create_aggregations"],
  run: (ctx) => validateData(ctx),
};

const generateStatsNode: Node = {
  id: "generate_stats",
  pipeline: "relational",
  table: { name: "stats_device_usage", orderBy: "sessions DESC" },
  name: "Generate stats",
  description: "Device usage, country x device, month x device, plan x device and minutes per country.",
  dependencies: ["validate_data"],
  run: (ctx) =>
    sessionPartitionsDir(ctx.services.files)
      ? generateStatsFromCube(ctx)
      : generateStats(ctx.services.warehouse, ctx.services.readAhead?.take(SESSION_CUBE_READ)),
};

/** The eight nodes of the relational pipeline, in order. */
export const RELATIONAL_NODES: readonly Node[] = [
  validateFiles,
  createSchema,
  loadDimensions,
  processUsers,
  processSessions,
  createAggregations,
  validateDataNode,
  generateStatsNode,
];
