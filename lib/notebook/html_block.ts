/** The symbol by which the Deno kernel asks an object for its media bundle (`Deno.jupyter.$display`). */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** A piece of HTML that the Deno Jupyter kernel displays as `text/html` when a cell evaluates to it. */
export class HtmlBlock {
  readonly html: string;
  constructor(html: string) {
    this.html = html;
  }
  /** The media bundle shown in the notebook. */
  [JUPYTER_DISPLAY](): Record<string, string> {
    return {
      "text/html": this.html,
      "text/plain": this.html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim(),
    };
  }
  toString(): string {
    return this.html;
  }
}
