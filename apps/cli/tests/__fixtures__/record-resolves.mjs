// `node --import` this file to append every module URL the process resolves to $LTLAB_RESOLVE_LOG
// (help.spec.ts checks that `ltlab --help` loads no command code).
import { register } from 'node:module';

register(new URL('./record-resolves-hook.mjs', import.meta.url));
