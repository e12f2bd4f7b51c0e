/// <reference lib="dom" />
import { DEVICES, QUALITY_LEVELS } from "../contract/mod.ts";

/** Options every chart function takes. */
export interface ChartOptions {
  /** The DOM `document` to build with: the browser's, or linkedom's `parseHTML(...).document` headless. */
  document: Document;
  /**
   * Width in pixels.
   * @default 720
   */
  width?: number;
  /** Replaces the chart's default title. */
  title?: string;
  /** Replaces the chart's default caption (sources and units). */
  caption?: string;
}

/** Device colours, the same in every chart: the contract's device order, Tableau 10. */
export const DEVICE_COLOR = {
  domain: [...DEVICES] as string[],
  range: ["#4e79a7", "#f28e2c", "#e15759", "#76b7b2", "#59a14f", "#edc949", "#af7aa1", "#ff9da7", "#9c755f"]
    .slice(0, DEVICES.length),
};

/** Quality levels from best to worst, dark to light. */
export const QUALITY_COLOR = {
  domain: [...QUALITY_LEVELS, "Unknown"] as string[],
  range: ["#08519c", "#4292c6", "#9ecae1", "#d9d9d9"],
};

/** Movie and series colours. */
export const CONTENT_TYPE_COLOR = { domain: ["movie", "series"], range: ["#4e79a7", "#f28e2c"] };

/** Checks the options shared by all charts; throws a `TypeError` without a document. */
export function chartDefaults(options: ChartOptions): Required<Pick<ChartOptions, "document" | "width">> {
  const { document, width = 720 } = options ?? {};
  if (!document || typeof document.createElement !== "function") {
    throw new TypeError("Cannot draw a chart: options.document must be a DOM document (e.g. linkedom's)");
  }
  if (!(width >= 200)) throw new RangeError(`Chart width must be at least 200 pixels (got ${width})`);
  return { document, width };
}

/** Left margin that fits the longest label at about 6.5 px per character of 11 px text. */
export function marginFor(labels: Iterable<string>, min = 40, max = 220): number {
  let longest = 0;
  for (const label of labels) longest = Math.max(longest, String(label).length);
  return Math.min(max, Math.max(min, Math.ceil(longest * 6.5) + 14));
}
