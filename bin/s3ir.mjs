#!/usr/bin/env -S node --
// The `s3ir` command: runs the TypeScript sources through tsx, so `npx s3ir` works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
await import('../lib/cli/main.ts');
