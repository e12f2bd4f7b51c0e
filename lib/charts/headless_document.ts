/// <reference lib="dom" />
import { parseHTML } from "linkedom";

/** A fresh headless DOM `document` (linkedom) for chart functions outside a browser. */
export function headlessDocument(): Document {
  return parseHTML("<!DOCTYPE html><html><head></head><body></body></html>").document as unknown as Document;
}
