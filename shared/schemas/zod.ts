/**
 * The one zod every schema of the service is written with: zod's small build (`zod/mini`, a
 * tenth of the full build's size in a bundle, and cheaper to load), with English messages for
 * the checks that give none of their own. `import * as z from '…/schemas/zod.ts'`, never from
 * 'zod': a namespace import keeps the bundle to the parts a function uses.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
