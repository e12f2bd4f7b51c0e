/** Reading a rendered Plot chart back, for tests: marks, axis texts, legend swatches, title and caption. */

/** The SVG elements of a mark (`bar`, `dot`, `text`, `cell`, `line`, ...), by Plot's aria-label. */
export function markElements(chart: Element, mark: string): Element[] {
  // Faceted marks nest a group per facet; shapes are what the data drew.
  return [...chart.querySelectorAll(`g[aria-label="${mark}"] *`)]
    .filter((e) => SHAPES.has(e.tagName.toLowerCase()));
}

const SHAPES = new Set(["rect", "circle", "path", "line", "text", "polygon"]);

/** The texts of a group such as `y-axis tick label` or `x-axis label`, in document order. */
export function labelTexts(chart: Element, group: string): string[] {
  return [...chart.querySelectorAll(`g[aria-label="${group}"] text`)].map((t) => t.textContent ?? "");
}

/** The tooltip titles of a mark's elements. */
export function markTitles(chart: Element, mark: string): string[] {
  return markElements(chart, mark).map((e) => e.querySelector("title")?.textContent ?? "");
}

/** The names in a categorical legend, in order. */
export function legendNames(chart: Element): string[] {
  return [...chart.querySelectorAll('span[class$="-swatch"]')].map((s) => s.textContent ?? "");
}

/** The figure's title (Plot's `<h2>`) and caption. */
export function titleAndCaption(chart: Element): [string, string] {
  return [chart.querySelector("h2")?.textContent ?? "", chart.querySelector("figcaption")?.textContent ?? ""];
}

/** A numeric attribute of an element. */
export const num = (e: Element, name: string): number => Number(e.getAttribute(name));
