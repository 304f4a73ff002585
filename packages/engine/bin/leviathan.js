#!/usr/bin/env node
// The `leviathan` command: the built CLI (src/cli/main.ts → dist/cli/main.js, see tsup.config.ts).
import '../dist/cli/main.js';
