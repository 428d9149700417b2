#!/usr/bin/env node
// npm's entry (npm i -g): the same bundle the single executable embeds.
import '../dist/cli.cjs';
