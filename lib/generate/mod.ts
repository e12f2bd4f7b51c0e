/**
 * The deterministic dataset generator: `users.csv`, `content.json` and `viewing_sessions.csv` from a seed,
 * clean or with every defect kind of the data contract (`messy`), plus `manifest.json` with the outcome a
 * correct pipeline must reach.
 *
 * @example
 * ```ts
 * import { generateDataset } from "./mod.ts";
 * const { files } = await generateDataset({ outDir: "data", seed: 42, scale: 1 });
 * ```
 * @module
 */
export {
  generateDataset,
  type GenerateDatasetOptions,
  type GeneratedDataset,
  type GeneratedFile,
} from "./generate_dataset.ts";
export {
  type ContentFileManifest,
  type CsvFileManifest,
  type CsvFileOutcome,
  type DatasetManifest,
  type DefectSummary,
} from "./manifest.ts";
export { MESSY_RATES, type SessionDefect, type UserDefect } from "./messy_rates.ts";
export { type Country, DATASET_PROFILE, type GeneratedDevice } from "./dataset_profile.ts";
export { cumulativeWeights, Random } from "./random.ts";
export { type ContentCatalog, generateContent, type Movie, type Series } from "./generate_content.ts";
export { UserTable } from "./user_table.ts";
export { SessionSampler, type SessionSamplerOptions } from "./session_sampler.ts";
export { DATA_USAGE, type DataCommand, parseDataArgs } from "./parse_data_args.ts";
export {
  appendDays,
  type PartitionFileWritten,
  PARTITIONS_FOLDER,
  partitionSessionsByDay,
  UNDATED_PARTITION,
} from "./partition_dataset.ts";
