/**
 * A store value as it reads after `JSON.stringify` and `JSON.parse`: the form the dashboard's
 * HTTP API sends it in. Dates become ISO strings; everything else keeps its shape, optional keys
 * included (exact optional types stay exact).
 */
export type Wire<T> = T extends Date
  ? string
  : T extends ReadonlyArray<infer Item>
    ? Wire<Item>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;
