/**
 * A small terminal emulator for tests: replays what a program wrote to a pseudo-terminal (text, CR, LF, the
 * cursor-up-to-line-start `ESC[nF`, erase-below `ESC[J`, erase-line `ESC[K`, mode switches) on a screen of
 * `columns` x `rows` with unlimited scrollback, wrapping long lines as a terminal does, and gives back every
 * line: the scrollback and the final screen, as a person scrolling up would see them.
 */
export function replayTerminal(output: string, columns: number, rows: number): string[] {
  const lines: string[][] = [[]];
  let row = 0;
  let col = 0;
  let top = 0; // first line of the visible screen: the cursor cannot move above it
  const lineFeed = () => {
    row++;
    if (row >= lines.length) lines.push([]);
    top = Math.max(top, row - rows + 1);
  };
  const chars = [...output];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === "\x1b") {
      const rest = chars.slice(i + 1, i + 20).join("");
      const m = /^\[(\??)(\d*(?:;\d+)*)([A-Za-z])/.exec(rest);
      if (!m) continue;
      i += m[0].length;
      const n = Number(m[2] || "1");
      if (m[1] === "?") continue; // cursor visibility and other modes
      switch (m[3]) {
        case "F":
          row = Math.max(top, row - n);
          col = 0;
          break;
        case "A":
          row = Math.max(top, row - n);
          break;
        case "J":
          lines[row].length = Math.min(lines[row].length, col);
          lines.length = row + 1;
          break;
        case "K":
          lines[row].length = Math.min(lines[row].length, col);
          break;
        default:
          break; // colours and the like change nothing here
      }
      continue;
    }
    if (c === "\r") col = 0;
    else if (c === "\n") {
      lineFeed();
      col = 0;
    } else {
      if (col >= columns) {
        lineFeed();
        col = 0;
      }
      while (lines[row].length < col) lines[row].push(" ");
      lines[row][col++] = c;
    }
  }
  return lines.map((l) => l.join("").trimEnd());
}

/** Runs a shell command in a pseudo-terminal of `columns` x `rows` (util-linux `script`); its raw output. */
export async function runInPty(
  command: string,
  columns: number,
  rows: number,
  env: Record<string, string> = {},
) {
  const out = await new Deno.Command("script", {
    args: ["-q", "-e", "-c", `stty cols ${columns} rows ${rows}; ${command}`, "/dev/null"],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env,
  }).output();
  return { code: out.code, output: new TextDecoder().decode(out.stdout) };
}

/** Whether util-linux `script` is there to make a pseudo-terminal. */
export async function hasScript(): Promise<boolean> {
  try {
    return (await new Deno.Command("script", { args: ["--version"], stdout: "null", stderr: "null" })
      .output())
      .success;
  } catch {
    return false;
  }
}
