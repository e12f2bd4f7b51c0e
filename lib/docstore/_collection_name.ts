/** Collection names both adapters accept; the embedded store uses them as file names. */
const COLLECTION_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,119}$/;

/** Throws a `TypeError` unless name is a valid collection name. */
export function assertCollectionName(name: string): void {
  if (!COLLECTION_NAME.test(name)) {
    throw new TypeError(
      `Cannot open collection "${name}": use up to 120 letters, digits, "_", "-" and ".", ` +
        `starting with a letter, a digit or "_"`,
    );
  }
}
