import pc from 'picocolors';

export type Colours = ReturnType<typeof pc.createColors>;

/**
 * Whether to colour what goes to `stream`: FORCE_COLOR (other than 0/false) always does, as in
 * Node itself; NO_COLOR (any non-empty value, no-color.org) never does; otherwise only a terminal
 * that is not TERM=dumb. Decided per stream, since stdout may be a pipe while stderr is not.
 */
export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** picocolors' functions, plain when `stream` gets no colour. */
export function coloursFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Colours {
  return pc.createColors(colourEnabled(stream, env));
}
