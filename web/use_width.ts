/// <reference lib="dom" />
// @ts-types="@types/react"
import { type RefObject, useEffect, useRef, useState } from "react";

/**
 * The width of an element in CSS pixels, rounded down to `step` so small changes do not redraw anything;
 * 0 until it is measured.
 */
export function useWidth<T extends HTMLElement>(step = 40): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.floor(el.clientWidth / step) * step);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [step]);
  return [ref, width];
}
