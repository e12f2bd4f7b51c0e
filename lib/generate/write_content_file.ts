import type { ContentCatalog } from "./generate_content.ts";
import type { ContentFileManifest } from "./manifest.ts";
import { messUpContent } from "./messy_content.ts";
import { Random } from "./random.ts";

/** A written `content.json`: its size, its manifest entry and the defects injected, per kind. */
export interface WrittenContent {
  bytes: number;
  manifest: ContentFileManifest;
  defects: Record<string, number>;
}

/** Options of {@linkcode writeContentFile}. */
export interface WriteContentOptions {
  seed: number;
  /**
   * Adds the defects of {@linkcode messUpContent}.
   * @default false
   */
  messy?: boolean;
}

/** Writes `content.json` (`{ "movies": [...], "series": [...] }`, indented like the original file). */
export async function writeContentFile(
  path: string,
  catalog: ContentCatalog,
  options: WriteContentOptions,
): Promise<WrittenContent> {
  const { seed, messy = false } = options;
  const documents = catalog.movies.length + catalog.series.length;
  const { root, manifest, defects } = messy ? messUpContent(catalog, new Random(seed, "content/defects")) : {
    root: catalog,
    manifest: {
      documents,
      loaded: documents,
      duplicates: 0,
      rejected: {},
      reject_ids: {},
      duplicate_ids: [],
    },
    defects: {},
  };
  const bytes = new TextEncoder().encode(`${JSON.stringify(root, null, 2)}\n`);
  await Deno.writeFile(path, bytes);
  return { bytes: bytes.byteLength, manifest, defects };
}
