/// <reference lib="dom" />
import { formatCount } from "../lib/format/mod.ts";

/** What the diagram needs of a table (a subset of `GET /api/database/schema`'s tables). */
export interface ErTable {
  name: string;
  rowCount: number;
  columns: { name: string; type: string; key: string }[];
  foreignKeys: {
    constraintName: string;
    columnName: string;
    referencedTable: string;
    referencedColumn: string;
  }[];
}

/** The tables the diagram draws, and where (column, row) in the wide layout. */
const WIDE: Record<string, [number, number]> = {
  viewing_sessions: [0, 0],
  users: [1, 0],
  subscription_types: [2, 0],
  device_types: [0, 1],
  user_metrics: [1, 1],
};
const ORDER = ["users", "subscription_types", "viewing_sessions", "device_types", "user_metrics"];

const BOX_W = 260;
const HEAD_H = 30;
const ROW_H = 19;
const GAP_X = 70;
const GAP_Y = 40;

/**
 * The ER diagram of the core tables: a box per table with its columns (key columns marked), a line from each
 * referring column to the column it refers to. Three columns of boxes when `narrow` is false, else one (a
 * phone), with the lines going round on the left.
 */
export function ErDiagram(props: { tables: readonly ErTable[]; narrow: boolean }) {
  const tables = ORDER.map((name) => props.tables.find((t) => t.name === name)).filter((t): t is ErTable =>
    t !== undefined
  );
  const heightOf = (t: ErTable) => HEAD_H + t.columns.length * ROW_H + 6;
  const margin = props.narrow ? 60 : 56;
  const pos = new Map<string, { x: number; y: number; h: number }>();
  if (props.narrow) {
    let y = 10;
    for (const t of tables) {
      pos.set(t.name, { x: margin, y, h: heightOf(t) });
      y += heightOf(t) + GAP_Y;
    }
  } else {
    const rowTop = [10, 10 + Math.max(...tables.filter((t) => WIDE[t.name][1] === 0).map(heightOf)) + GAP_Y];
    for (const t of tables) {
      const [col, row] = WIDE[t.name];
      pos.set(t.name, { x: margin + col * (BOX_W + GAP_X), y: rowTop[row], h: heightOf(t) });
    }
  }
  const width = props.narrow ? margin + BOX_W + 10 : margin * 2 + 3 * BOX_W + 2 * GAP_X;
  const height = Math.max(...[...pos.values()].map((p) => p.y + p.h)) + 10;
  const rowY = (t: ErTable, column: string) =>
    pos.get(t.name)!.y + HEAD_H + Math.max(0, t.columns.findIndex((c) => c.name === column)) * ROW_H +
    ROW_H / 2;

  const links = tables.flatMap((t) =>
    t.foreignKeys.filter((fk) => pos.has(fk.referencedTable)).map((fk) => ({ from: t, fk }))
  );
  return (
    <svg
      className="er"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="Relationships between the warehouse's core tables"
      data-er
    >
      {links.map(({ from, fk }, i) => {
        const to = tables.find((t) => t.name === fk.referencedTable)!;
        const a = pos.get(from.name)!;
        const b = pos.get(to.name)!;
        const y1 = rowY(from, fk.columnName);
        const y2 = rowY(to, fk.referencedColumn);
        let d: string;
        if (a.x + BOX_W < b.x) {
          const x1 = a.x + BOX_W;
          const x2 = b.x;
          const mid = (x1 + x2) / 2;
          d = `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
        } else if (b.x + BOX_W < a.x) {
          const x1 = a.x;
          const x2 = b.x + BOX_W;
          const mid = (x1 + x2) / 2;
          d = `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
        } else {
          // Same column: round on the left, each line a little further out.
          const out = a.x - 14 - (i % 4) * 11;
          d = `M${a.x},${y1} C${out},${y1} ${out},${y2} ${b.x},${y2}`;
        }
        return (
          <g
            key={fk.constraintName}
            data-er-link={`${from.name}.${fk.columnName}->${to.name}.${fk.referencedColumn}`}
          >
            <path className="er-link" d={d} />
            <circle className="er-end" cx={d.split(" ").at(-1)!.split(",")[0]} cy={y2} r="3.5" />
            <title>{`${from.name}.${fk.columnName} → ${to.name}.${fk.referencedColumn}`}</title>
          </g>
        );
      })}
      {tables.map((t) => {
        const p = pos.get(t.name)!;
        const fkColumns = new Set(t.foreignKeys.map((f) => f.columnName));
        return (
          <g key={t.name} transform={`translate(${p.x},${p.y})`} data-er-table={t.name}>
            <rect className="er-box" width={BOX_W} height={p.h} rx="6" />
            <rect className="er-head" width={BOX_W} height={HEAD_H} rx="6" />
            <text className="er-title" x="10" y="20">{t.name}</text>
            <text className="er-count" x={BOX_W - 10} y="20" textAnchor="end">
              {formatCount(t.rowCount)} rows
            </text>
            {t.columns.map((c, i) => (
              <g key={c.name} transform={`translate(0,${HEAD_H + i * ROW_H})`}>
                <text className="er-key" x="10" y="14">
                  {c.key === "PRI" ? "PK" : fkColumns.has(c.name) ? "FK" : ""}
                </text>
                <text className={`er-col${c.key === "PRI" ? " er-pk" : ""}`} x="34" y="14">{c.name}</text>
                <text className="er-type" x={BOX_W - 10} y="14" textAnchor="end">{c.type.toLowerCase()}</text>
              </g>
            ))}
          </g>
        );
      })}
    </svg>
  );
}
