/**
 * fontoxpath, loaded on first use with require(). A cold run of the ANS pack may not need it at all (the
 * closures and the native atomic functions answer every test of a typical document), and loading it costs
 * ~50 ms. require() also spares Node's ESM loader its scan of the 300 KB CommonJS bundle for export names
 * (~70 ms more, for nothing: we only use the module object).
 */
import { createRequire } from 'node:module';
import type * as Fontoxpath from 'fontoxpath';

let loaded: typeof Fontoxpath | undefined;
const onLoad: ((f: typeof Fontoxpath) => void)[] = [];

export function fontoxpath(): typeof Fontoxpath {
  if (!loaded) {
    loaded = createRequire(import.meta.url)('fontoxpath') as typeof Fontoxpath;
    for (const hook of onLoad.splice(0)) hook(loaded);
  }
  return loaded;
}

/** Runs `hook` when fontoxpath is loaded (now, if it is): where custom functions are registered. */
export function whenFontoxpathLoads(hook: (f: typeof Fontoxpath) => void): void {
  if (loaded) hook(loaded);
  else onLoad.push(hook);
}
