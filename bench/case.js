#!/usr/bin/env node
// One benchmark case in its own process, run the way the synth app runs (see scripts/bundled.js).
'use strict';
require('../scripts/bundled').run('bench/case.ts');
