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
export * from "./generate_dataset.ts";
export * from "./manifest.ts";
export * from "./messy_rates.ts";
export * from "./dataset_profile.ts";
export * from "./random.ts";
export * from "./generate_content.ts";
export * from "./user_table.ts";
export * from "./session_sampler.ts";
export * from "./parse_data_args.ts";
export * from "./partition_dataset.ts";
