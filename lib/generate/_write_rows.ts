import type { CsvLayout } from "./csv_layout.ts";
import type { DefectLines, EmittedLine, FileTally } from "./file_tally.ts";
import type { CsvFileManifest } from "./manifest.ts";
import type { Random } from "./random.ts";
import type { TextSink } from "./text_sink.ts";

/** How far below its source row a duplicate's later copy lands, at most. */
const MAX_DUPLICATE_GAP = 500;

/** A written CSV file: its size, its manifest entry and the defects injected, per kind. */
export interface WrittenCsv {
  bytes: number;
  manifest: CsvFileManifest;
  defects: Record<string, number>;
}

/** The rows of one CSV file and, for messy data, the defects to inject. */
export interface RowSource<K> {
  count: number;
  layout: CsvLayout;
  /** Values of clean row `index`, in canonical order; called once per row, in order. */
  values: (index: number) => string[];
  /** Row index -> defect kind; none for clean data. */
  plan?: Map<number, K>;
  applyDefect?: (kind: K, values: string[]) => DefectLines;
  /** Chooses where later copies land. */
  random?: Random;
}

/**
 * Writes the header and every row to `sink`, counting each line's expected outcome in `tally`. Clean rows
 * take a fast path; a defect's later line is held (a few hundred at most) until its row comes.
 */
export async function writeRows<K>(sink: TextSink, tally: FileTally, source: RowSource<K>): Promise<void> {
  const { count, layout, values, plan, applyDefect, random } = source;
  sink.line(layout.headerLine());
  const pending = new Map<number, EmittedLine[]>();
  const emit = (line: EmittedLine) => tally.add(sink.line(line.text), line.outcome);
  for (let index = 0; index < count; index++) {
    const row = values(index);
    const kind = plan?.get(index);
    if (kind === undefined || applyDefect === undefined) {
      sink.line(layout.plain(row));
      tally.addClean();
    } else {
      const { lines, later } = applyDefect(kind, row);
      lines.forEach(emit);
      if (later !== undefined) {
        const gap = random ? random.int(0, MAX_DUPLICATE_GAP) : 0;
        const target = Math.min(count - 1, index + gap);
        const queue = pending.get(target);
        if (queue === undefined) pending.set(target, [later]);
        else queue.push(later);
      }
    }
    const due = pending.get(index);
    if (due !== undefined) {
      pending.delete(index);
      due.forEach(emit);
    }
    if (sink.full) await sink.flush();
  }
}
