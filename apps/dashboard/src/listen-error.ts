import { LtlabError } from '@ltlab/core';

/**
 * Why the dashboard could not listen, as a coded error naming the option to change (`host` or
 * `port` in `details.option`, so `ltlab serve` can name its flag) instead of a Node stack.
 * Errors of any other kind are returned as they are.
 */
export function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const at = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const coded = (option: 'host' | 'port', message: string, fix: string) =>
    new LtlabError('CONFIG.INVALID', message, {
      fix,
      cause: error,
      details: { option, value: option === 'host' ? host : port, reason: code },
    });
  switch (code) {
    case 'EADDRINUSE':
      return coded(
        'port',
        `The dashboard cannot listen on ${at}: port ${port} is already in use.`,
        'Stop what listens on that port, or choose another port (0 picks a free one).',
      );
    case 'EACCES':
      return coded(
        'port',
        `The dashboard cannot listen on ${at}: port ${port} needs privileges this process does not have.`,
        'Choose a port above 1023.',
      );
    case 'EADDRNOTAVAIL':
      return coded(
        'host',
        `The dashboard cannot listen on ${host}: it is not an address of this machine.`,
        "Choose an address of one of this machine's interfaces (127.0.0.1, or 0.0.0.0 for all of them).",
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return coded(
        'host',
        `The dashboard cannot listen on ${host}: the name does not resolve to an address (${code}).`,
        'Choose an IP address of this machine, or a host name that resolves to one (127.0.0.1 by default).',
      );
    default:
      return error;
  }
}
