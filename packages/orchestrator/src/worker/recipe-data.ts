import { type Dirent, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile } from '@ltlab/config';
import type { DataSection } from '@ltlab/datasets';

/**
 * The `data` sections of the recipes under `dir` (configs/ of the checkout or image the worker
 * runs from; sweeps, which name recipes, are skipped), `extends` resolved. A worker reports where
 * each recipe's data set is on its host. A file that is not a recipe is skipped: the report is
 * a help, never a reason for a worker not to start.
 */
export async function recipeDataSections(dir: string): Promise<DataSection[]> {
  const files = yamlFiles(dir);
  const sections = await Promise.all(
    files.map(async (file) => {
      try {
        const data = (await loadConfigFile(file)).data;
        return isDataSection(data) ? [data] : [];
      } catch {
        return [];
      }
    }),
  );
  return sections.flat();
}

function yamlFiles(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'sweeps' ? [] : yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

function isDataSection(value: unknown): value is DataSection {
  if (typeof value !== 'object' || value === null) return false;
  const source = (value as { source?: unknown }).source;
  return (
    typeof source === 'string' ||
    (typeof source === 'object' && source !== null && typeof (source as { name?: unknown }).name === 'string')
  );
}
