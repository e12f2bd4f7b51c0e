import type { DocStore } from "../docstore/mod.ts";
import type { CsvEncoding } from "../extract/mod.ts";
import type { Warehouse } from "../warehouse/mod.ts";
import type { PartitionContext } from "./partition_options.ts";
import type { ReadAhead } from "./read_ahead.ts";
import type { WarehouseRunStore } from "./run_store.ts";

/** Paths of the three inputs. */
export interface InputFiles {
  users: string;
  sessions: string;
  content: string;
}

/** What every pipeline node receives: the stores, the inputs and the run's settings. */
export interface PipelineServices {
  warehouse: Warehouse;
  /** The document store of the content pipeline. */
  docstore: DocStore;
  runStore: WarehouseRunStore;
  files: InputFiles;
  /** Rows per batch when reading and loading. */
  batchSize: number;
  /** Drop and recreate the data tables in `create_schema`. */
  fresh: boolean;
  /** Empty the content collection before loading it (the original loader's behaviour). */
  purge: boolean;
  /** Share of sessions without a watch date above which `validate_data` fails (it warns above 1 %). */
  missingWatchDateLimit: number;
  /** Encoding of the CSV inputs (strict UTF-8 unless told). @default "utf-8" */
  encoding?: CsvEncoding;
  /** Longest CSV line in bytes; a longer one is rejected `line_too_long`. @default 1_048_576 */
  maxLineBytes?: number;
  /** Share of a file's rows that may be rejected before its load node fails (warns above 1 %). @default 0.05 */
  maxRejectRate?: number;
  /** Drop in a file's rows read since its previous successful load above which `validate_data` warns. @default 0.5 */
  maxVolumeDrop?: number;
  /**
   * `--resume`: a chunked load that a failed or abandoned run left mid-file goes on from its last committed
   * chunk (a retry within the same run always does). @default false
   */
  resume?: boolean;
  /** Partitioned sessions (a `viewing_sessions/` folder): the run's options, and what its load did. */
  partitions?: PartitionContext;
  /**
   * Validate a CSV file in a worker thread while the main thread writes (`true`), or on the main thread
   * (`false`). @default by size: in a worker from 1 MiB on
   */
  validateInWorker?: boolean;
  /** Reads the workbench started before their node could run (e.g. `generate_stats`' cube), by name. */
  readAhead?: ReadAhead;
}

/** Input paths inside a data folder, by their standard names. */
export function inputFilesIn(dataDir: string): InputFiles {
  const dir = dataDir.replace(/\/+$/, "");
  return {
    users: `${dir}/users.csv`,
    sessions: `${dir}/viewing_sessions.csv`,
    content: `${dir}/content.json`,
  };
}
