/** The fields adapters test on an error: driver code, server errno, class name and message. */
export interface ErrorFacts {
  code?: unknown;
  errno?: unknown;
  name?: unknown;
  message?: unknown;
}

/** An error and its causes (at most 8 deep), as the fields adapters test. */
export function* errorChain(error: unknown): Generator<ErrorFacts> {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 8; depth++) {
    yield e as ErrorFacts;
    e = (e as { cause?: unknown }).cause;
  }
}

/** Whether any error of the chain matches `test`. */
export function someInChain(error: unknown, test: (facts: ErrorFacts) => boolean): boolean {
  for (const facts of errorChain(error)) if (test(facts)) return true;
  return false;
}
