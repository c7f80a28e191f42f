import { LtlabError } from '@ltlab/core';

/**
 * The training code is an optional peer of the CLI (docs/deploy.md "What each host installs"): a
 * control host runs `ltlab serve`, `sweep` and `runs` without TensorFlow.js in its dependency
 * tree, and only the commands that train (`train`, `worker`, `doctor` and their internal
 * children) need `@ltlab/train` and `@ltlab/runtime`.
 */
export const TRAINING_PACKAGES = ['@ltlab/train', '@ltlab/runtime'] as const;

/** RUNTIME.BACKEND_UNAVAILABLE: `command` needs `name`, which this install of the CLI lacks. */
export function missingTrainingPackage(command: string, name: string): LtlabError {
  return new LtlabError(
    'RUNTIME.BACKEND_UNAVAILABLE',
    `${command} needs the training package ${name} (TensorFlow.js), which this install of @ltlab/cli does not have.`,
    {
      fix: `Install it beside the CLI on every host that trains: npm install @ltlab/cli ${TRAINING_PACKAGES.join(' ')} (the Docker images have them).`,
      details: { command, package: name },
    },
  );
}

/**
 * Runs `load` (a literal `import('@ltlab/train')`, so its types stay exact); a missing `name`
 * becomes the error above instead of Node's ERR_MODULE_NOT_FOUND stack.
 */
export async function importTrainingPackage<T>(name: string, command: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissingPackage(error, name)) throw missingTrainingPackage(command, name);
    throw error;
  }
}

/**
 * Throws the error above unless every training package resolves: a worker checks this before it
 * takes jobs, rather than failing each one in its trainer child.
 */
export function assertTrainingPackages(
  command: string,
  resolve: (specifier: string) => string = (specifier) => import.meta.resolve(specifier),
): void {
  for (const name of TRAINING_PACKAGES) {
    try {
      resolve(name);
    } catch (error) {
      if (isMissingPackage(error, name)) throw missingTrainingPackage(command, name);
      throw error;
    }
  }
}

function isMissingPackage(error: unknown, name: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') && error.message.includes(`'${name}'`)
  );
}
