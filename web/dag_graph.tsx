/// <reference lib="dom" />
import type { NodeView } from "./normalize_dag.ts";
import { formatRows } from "../lib/format/mod.ts";

const BOX_W = 170;
const BOX_H = 64;
const COL_W = 206;
const ROW_H = 104;
const PAD = 16;
const LABEL_W = 92;

/** Column of each node: the longest chain of dependencies before it. */
function depths(nodes: NodeView[]): Map<string, number> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const depth = new Map<string, number>();
  const visit = (id: string, seen: Set<string>): number => {
    if (depth.has(id)) return depth.get(id)!;
    if (seen.has(id)) return 0;
    seen.add(id);
    const deps = byId.get(id)?.dependencies.filter((d) => byId.has(d)) ?? [];
    const d = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((dep) => visit(dep, seen)));
    depth.set(id, d);
    return d;
  };
  for (const n of nodes) visit(n.id, new Set());
  return depth;
}

/** Where each node's box goes: columns by depth, one band per branch (relational on top). */
export function layoutDag(nodes: NodeView[]): Map<string, { x: number; y: number }> {
  const depth = depths(nodes);
  const branches = ["relational", "document"] as const;
  const positions = new Map<string, { x: number; y: number }>();
  let bandTop = 0;
  for (const branch of branches) {
    const used = new Map<number, number>();
    let rows = 0;
    for (const n of nodes.filter((n) => n.branch === branch)) {
      const col = depth.get(n.id) ?? 0;
      const row = used.get(col) ?? 0;
      used.set(col, row + 1);
      rows = Math.max(rows, row + 1);
      positions.set(n.id, { x: LABEL_W + PAD + col * COL_W, y: PAD + (bandTop + row) * ROW_H });
    }
    bandTop += rows;
  }
  return positions;
}

/**
 * An arrow from a dependency's right side to a node's left side. Neighbours in one band get a straight line;
 * any other edge runs along the gap between bands, so that it never passes under a box it does not touch.
 */
function edgePath(
  from: { x: number; y: number },
  to: { x: number; y: number },
  k: number,
  boxes: { x: number; y: number }[],
): string {
  const x1 = from.x + BOX_W;
  const y1 = from.y + BOX_H / 2;
  const x2 = to.x - 2;
  const y2 = to.y + BOX_H / 2;
  const blocked = boxes.some((b) => b.y === from.y && b.x > from.x && b.x < to.x);
  if (from.y === to.y && !blocked) return `M${x1},${y1} L${x2},${y2}`;
  // The gap below the upper of the two boxes; edges into the same node are spread a little apart.
  const gapY = Math.min(from.y, to.y) + BOX_H + (ROW_H - BOX_H) / 2 + (k % 3 - 1) * 6;
  const out = x1 + 10;
  const into = x2 - 12;
  const r = 6;
  const down1 = gapY > y1 ? 1 : -1;
  const down2 = y2 > gapY ? 1 : -1;
  return [
    `M${x1},${y1}`,
    `L${out - r},${y1}`,
    `Q${out},${y1} ${out},${y1 + r * down1}`,
    `L${out},${gapY - r * down1}`,
    `Q${out},${gapY} ${out + r},${gapY}`,
    `L${into - r},${gapY}`,
    `Q${into},${gapY} ${into},${gapY + r * down2}`,
    `L${into},${y2 - r * down2}`,
    `Q${into},${y2} ${into + r},${y2}`,
    `L${x2},${y2}`,
  ].join(" ");
}

const STATUS_TEXT: Record<NodeView["status"], string> = {
  pending: "waiting",
  running: "running",
  success: "done",
  failed: "FAILED",
  skipped: "skipped",
};

function nodeCaption(n: NodeView): string {
  const retries = n.attempts > 1 ? ` · try ${n.attempts}` : "";
  return baseCaption(n) + retries;
}

function baseCaption(n: NodeView): string {
  if (n.status === "running") {
    const share = n.percent !== undefined ? `${n.percent.toFixed(0)}% · ` : "";
    return `${share}${formatRows(n.rowsRead)}`;
  }
  if (n.status === "success") return `${STATUS_TEXT.success} · ${formatRows(n.rowsRead)}`;
  return STATUS_TEXT[n.status];
}

/** Splits a name over at most two lines of about `width` characters. */
function wrap(text: string, width = 20): string[] {
  if (text.length <= width) return [text];
  const cut = text.lastIndexOf(" ", width);
  return cut > 0 ? [text.slice(0, cut), text.slice(cut + 1)] : [text];
}

/** The DAG as an SVG graph: both branches, arrows from each dependency, boxes coloured by status. */
export function DagGraph(props: { nodes: NodeView[]; selected?: string | null }) {
  const { nodes } = props;
  const positions = layoutDag(nodes);
  const xs = [...positions.values()];
  const width = Math.max(...xs.map((p) => p.x), 0) + BOX_W + PAD;
  const height = Math.max(...xs.map((p) => p.y), 0) + BOX_H + PAD;
  const bands = ["relational", "document"].map((branch) => {
    const ys = nodes.filter((n) => n.branch === branch).map((n) => positions.get(n.id)!.y);
    return { branch, y: ys.length ? Math.min(...ys) : 0, present: ys.length > 0 };
  });
  return (
    <svg
      className="dag"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="The DAG of the ETL run, nodes coloured by status"
    >
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto"
        >
          <path d="M0,0 L10,5 L0,10 z" fill="#64748b" />
        </marker>
      </defs>
      {bands.filter((b) => b.present).map((b) => (
        <text key={b.branch} className="band-label" x={PAD} y={b.y + BOX_H / 2 + 4}>
          {b.branch === "relational" ? "Relational" : "Documents"}
        </text>
      ))}
      {nodes.flatMap((n) =>
        n.dependencies.filter((d) => positions.has(d)).map((d, k) => (
          <path
            key={`${d}->${n.id}`}
            className="edge"
            data-edge={`${d}->${n.id}`}
            d={edgePath(positions.get(d)!, positions.get(n.id)!, k, [...positions.values()])}
            markerEnd="url(#arrow)"
          />
        ))
      )}
      {nodes.map((n) => {
        const p = positions.get(n.id)!;
        const lines = wrap(n.name);
        const share = n.status === "success" ? 1 : (n.percent ?? 0) / 100;
        return (
          <g
            key={n.id}
            className={`node node-${n.status}${props.selected === n.id ? " node-current" : ""}`}
            data-node={n.id}
            data-status={n.status}
            transform={`translate(${p.x},${p.y})`}
          >
            <title>{`${n.name} (${n.id}): ${n.status}${n.error ? ` — ${n.error}` : ""}`}</title>
            <rect className="node-box" width={BOX_W} height={BOX_H} rx="8" />
            {lines.map((line, i) => (
              <text key={i} className="node-name" x="10" y={lines.length === 1 ? 24 : 18 + i * 15}>
                {line}
              </text>
            ))}
            <text className="node-caption" x="10" y={BOX_H - 12}>{nodeCaption(n)}</text>
            {n.status === "running" || (n.status === "success" && n.totalRows !== undefined)
              ? (
                <rect
                  className="node-bar"
                  x="0"
                  y={BOX_H - 5}
                  width={BOX_W * Math.min(1, share)}
                  height="5"
                  rx="2"
                />
              )
              : null}
          </g>
        );
      })}
    </svg>
  );
}
