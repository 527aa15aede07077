#!/usr/bin/env node
// The app command of cdk8s.yaml and of `npm run synth|diff|promote`: runs app/main.ts from its
// cached bundle (see bundled.js).
'use strict';
require('./bundled').run('app/main.ts');
