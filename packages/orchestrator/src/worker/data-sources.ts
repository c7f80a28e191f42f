import { LtlabError } from '@ltlab/core';
import {
  checkDataLocation,
  type DataLocation,
  type DataSection,
  dataLocationFix,
  dataLocationOf,
  datasetSourceRegistry,
  localRootVariable,
} from '@ltlab/datasets';
import { z } from 'zod';

/** One data set as a worker reports it in its heartbeat (the dashboard's queue page lists them). */
export const dataSourceReportSchema = z.object({
  /** The source's registry name (`fashion-mnist`, `list`, `ade20k`, ...). */
  source: z.string(),
  /** Its directory on the worker's host; null when nothing names one. */
  path: z.string().nullable(),
  /** Where the path came from: `default`, `LTLAB_FASHION_MNIST_DIR`, `data.root`, ... */
  via: z.string(),
  present: z.boolean(),
  /** The first file or directory not found there. */
  missing: z.string().nullable(),
  /** Why it is listed: `well-known`, `recipe`, or `run <id>` (the last run that needed it). */
  origin: z.string(),
});
export type DataSourceReport = z.infer<typeof dataSourceReportSchema>;

/** Past this many entries, the oldest ones some run added go first (a heartbeat stays small). */
const MAX_REPORTED = 48;

/**
 * The data sets a worker can read, and where: checked once at start for the well-known places
 * (Fashion-MNIST's Debian package or `LTLAB_FASHION_MNIST_DIR`, every `LTLAB_<SOURCE>_DIR` that
 * is set, the paths of the recipes it was given), then again for each run's own data before its
 * trainer starts. Heartbeats carry the cached report: no disk access per beat.
 */
export class DataSourceCatalog {
  readonly #node: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #entries = new Map<string, DataSourceReport>();

  constructor(options: { node: string; known?: readonly DataSection[]; env?: NodeJS.ProcessEnv }) {
    this.#node = options.node;
    this.#env = options.env ?? process.env;
    for (const location of wellKnownLocations(this.#env)) this.#note(location, 'well-known');
    for (const data of options.known ?? []) {
      const location = safeLocation(data, this.#env);
      if (location !== null) this.#note(location, 'recipe');
    }
  }

  /** The cached report, well-known places first. */
  report(): DataSourceReport[] {
    return [...this.#entries.values()];
  }

  /**
   * Checks a run's data on this host now (it may have been mounted since the last look) and
   * updates the report. Missing data is DATA.MISSING naming the host, the source, its path, the
   * first file not found and the fix: the run fails before its trainer builds anything.
   */
  requireRunData(runId: string, data: DataSection): DataSourceReport {
    const location = dataLocationOf(data, this.#env);
    const entry = this.#note(location, `run ${runId}`);
    if (entry.present) return entry;
    const where = location.path === null ? 'no directory' : `${location.path} (from ${location.via})`;
    const lacking = entry.missing === null ? '' : `: ${entry.missing} does not exist`;
    throw new LtlabError(
      'DATA.MISSING',
      `Data set '${location.source}' is not on host ${this.#node}: ${where}${lacking}.`,
      {
        fix: dataLocationFix(location),
        details: { host: this.#node, source: location.source, path: location.path, via: location.via },
      },
    );
  }

  #note(location: DataLocation, origin: string): DataSourceReport {
    const key = `${location.source}\u0000${location.path ?? ''}`;
    const wellKnown = this.#entries.get(key)?.origin === 'well-known';
    const entry: DataSourceReport = {
      source: location.source,
      path: location.path,
      via: location.via,
      ...checkDataLocation(location),
      origin: wellKnown ? 'well-known' : origin,
    };
    // A run's data goes last: the most recent runs' data stay when the list is cut.
    if (!wellKnown && origin.startsWith('run ')) this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > MAX_REPORTED) {
      const oldest = [...this.#entries.entries()].find(([, value]) => value.origin.startsWith('run '));
      if (oldest !== undefined) this.#entries.delete(oldest[0]);
    }
    return entry;
  }
}

/**
 * Fashion-MNIST where a config without a root finds it (the variable, else Debian's package), and
 * every other classification source whose `LTLAB_<SOURCE>_DIR` this host sets.
 */
function wellKnownLocations(env: NodeJS.ProcessEnv): DataLocation[] {
  return datasetSourceRegistry.names().flatMap((source) => {
    const variable = env[localRootVariable(source)];
    if (source !== 'fashion-mnist' && (variable === undefined || variable === '')) return [];
    return [dataLocationOf({ source }, env)];
  });
}

/** A recipe's data section, or null when it has none this catalog reads (a report never fails the worker). */
function safeLocation(data: DataSection, env: NodeJS.ProcessEnv): DataLocation | null {
  try {
    return dataLocationOf(data, env);
  } catch {
    return null;
  }
}
