#!/usr/bin/env node
// The `realid` command. The code is TypeScript run through tsx's loader, so a fresh clone needs no
// build step: `npm install && npm start` is all there is.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
