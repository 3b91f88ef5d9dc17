#!/usr/bin/env node
// The `triad` command: runs the TypeScript entry point through tsx, so the command and the app share one
// source tree with no separate build step.
import { register } from 'tsx/esm/api';

register();
await import('../src-main/cli/triad.ts');
