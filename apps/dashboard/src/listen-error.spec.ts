import { LtlabError } from '@ltlab/core';
import { describe, expect, it } from 'vitest';
import { listenError } from './listen-error.js';

const errno = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

describe('listen failures as coded errors', () => {
  it('a busy port names the port and the fix', () => {
    const error = listenError(errno('EADDRINUSE'), '127.0.0.1', 7420) as LtlabError;
    expect(error).toBeInstanceOf(LtlabError);
    expect(error.code).toBe('CONFIG.INVALID');
    expect(error.message).toBe('The dashboard cannot listen on 127.0.0.1:7420: port 7420 is already in use.');
    expect(error.details).toEqual({ option: 'port', value: 7420, reason: 'EADDRINUSE' });
    expect(error.fix).toMatch(/0 picks a free one/);
  });

  it('an unresolvable or foreign host names the host', () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']) {
      const error = listenError(errno(code), 'no-such-host.invalid', 80) as LtlabError;
      expect(error.details).toMatchObject({ option: 'host', value: 'no-such-host.invalid', reason: code });
      expect(error.message).toMatch(/cannot listen on no-such-host\.invalid/);
    }
    expect((listenError(errno('EADDRINUSE'), '::1', 80) as LtlabError).message).toMatch(/\[::1\]:80/);
  });

  it('a privileged port names the port; anything else is passed on as it is', () => {
    expect((listenError(errno('EACCES'), '0.0.0.0', 80) as LtlabError).details).toMatchObject({ option: 'port' });
    const other = errno('EMFILE');
    expect(listenError(other, '127.0.0.1', 1)).toBe(other);
  });
});
