/** The shared base, unit by unit: the policies the commands rely on, without spawning the CLI. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDir, configFile, readConfig, resolveRulePack, updateConfig } from '../src/base/config.js';
import { CliError, errorMessage } from '../src/base/errors.js';
import { EXIT_CODE_TABLE, ExitCode } from '../src/base/exit-codes.js';
import { expandInputs } from '../src/base/inputs.js';
import { parseCount, parseLayers, parseSize } from '../src/base/options.js';
import { useColor } from '../src/base/output.js';
import { createProgress, validatingText } from '../src/base/progress.js';
import { judge } from '../src/base/threshold.js';

const summary = (errors: number, warnings: number, invalid = errors > 0 ? 1 : 0) => ({ documents: 2, valid: 2 - invalid, invalid, errors, warnings });

describe('judge (exit decision)', () => {
  it('passes a clean batch and fails on errors', () => {
    expect(judge(summary(0, 0), { failOn: 'error' })).toEqual({ exitCode: 0, reasons: [] });
    expect(judge(summary(3, 0), { failOn: 'error' })).toEqual({ exitCode: 1, reasons: ['1 of 2 documents invalid (3 errors)'] });
  });

  it('lets warnings pass unless --fail-on warning or --max-warnings says otherwise', () => {
    expect(judge(summary(0, 5), { failOn: 'error' }).exitCode).toBe(0);
    expect(judge(summary(0, 5), { failOn: 'warning' })).toEqual({ exitCode: 1, reasons: ['5 warnings with --fail-on warning'] });
    expect(judge(summary(0, 5), { failOn: 'error', maxWarnings: 5 }).exitCode).toBe(0);
    expect(judge(summary(0, 6), { failOn: 'error', maxWarnings: 5 })).toEqual({ exitCode: 1, reasons: ['6 warnings, more than --max-warnings 5'] });
    expect(judge(summary(0, 1), { failOn: 'error', maxWarnings: 0 }).reasons).toEqual(['1 warning, more than --max-warnings 0']);
  });

  it('fails an invalid document even if it carries no error finding', () => {
    expect(judge(summary(0, 0, 1), { failOn: 'error' }).exitCode).toBe(1);
  });
});

describe('exit codes', () => {
  it('are 0 to 5, each documented', () => {
    expect(ExitCode).toEqual({ OK: 0, FINDINGS: 1, USAGE: 2, UNDECIDED: 3, DMP_ERROR: 4, TRANSPORT: 5 });
    expect(EXIT_CODE_TABLE.map((e) => e.code)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('docs/exit-codes.md lists every code', () => {
    const doc = readFileSync(new URL('../../../docs/exit-codes.md', import.meta.url), 'utf-8');
    for (const { code } of EXIT_CODE_TABLE) expect(doc).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
  });

  it('errors become messages: CliErrors as they are, anything else as an internal error with exit 2', () => {
    expect(errorMessage(new CliError('bad', ExitCode.USAGE, 'do this'))).toEqual({ message: 'bad', exitCode: 2, hint: 'do this' });
    expect(errorMessage(new TypeError('boom'))).toMatchObject({ message: 'internal error: boom', exitCode: 2 });
  });
});

describe('option parsers', () => {
  it('sizes in bytes or with binary units', () => {
    expect(parseSize('1048576')).toBe(1048576);
    expect(parseSize('20MB')).toBe(20 * 1024 * 1024);
    expect(parseSize('512 kb')).toBe(512 * 1024);
    expect(parseSize('1.5GiB')).toBe(1.5 * 1024 ** 3);
    for (const bad of ['', 'MB', '12QB', '-5', '0']) expect(() => parseSize(bad), bad).toThrow(InvalidArgumentError);
  });

  it('layers in pipeline order, without duplicates', () => {
    expect(parseLayers('dmp, xml,XML,schematron')).toEqual(['xml', 'schematron', 'dmp']);
    expect(() => parseLayers('xml,foo')).toThrow(/unknown layer foo/);
    expect(() => parseLayers(',')).toThrow(InvalidArgumentError);
  });

  it('counts', () => {
    expect(parseCount(0)('0')).toBe(0);
    expect(() => parseCount(1)('0')).toThrow(/at least 1/);
    expect(() => parseCount(0)('2.5')).toThrow(/whole number/);
  });
});

describe('colour decision', () => {
  const tty = { write() {}, isTTY: true };
  const pipe = { write() {} };
  it('follows the TTY, NO_COLOR, FORCE_COLOR and --no-color', () => {
    expect(useColor(tty, {}, true)).toBe(true);
    expect(useColor(pipe, {}, true)).toBe(false);
    expect(useColor(tty, { NO_COLOR: '1' }, true)).toBe(false);
    expect(useColor(tty, {}, false)).toBe(false);
    expect(useColor(pipe, { FORCE_COLOR: '1' }, true)).toBe(true);
    expect(useColor(pipe, { FORCE_COLOR: '0' }, true)).toBe(false);
    expect(useColor(pipe, { FORCE_COLOR: '1' }, false)).toBe(false);
  });
});

describe('progress', () => {
  const recorder = (isTTY: boolean) => {
    const chunks: string[] = [];
    return { chunks, stream: { write: (s: string) => chunks.push(s), isTTY, columns: 30 } };
  };

  it('draws in place on a TTY and erases itself', () => {
    let t = 0;
    const { chunks, stream } = recorder(true);
    const p = createProgress(stream, true, () => (t += 100));
    p.update(validatingText(12, 56, 'a.xml'));
    p.update(validatingText(13, 56, 'a/very/long/path/to/some/document.xml'));
    p.done();
    expect(chunks[0]).toBe('\r\u001b[2Kvalidating 12/56 a.xml…');
    expect(chunks[1]).toBe('\r\u001b[2K…g/path/to/some/document.xml…');
    expect(chunks[1]!.length - '\r\u001b[2K'.length).toBe(29);
    expect(chunks.at(-1)).toBe('\r\u001b[2K');
  });

  it('writes nothing off a TTY or when disabled', () => {
    for (const [tty, enabled] of [[false, true], [true, false]] as const) {
      const { chunks, stream } = recorder(tty);
      const p = createProgress(stream, enabled);
      p.update('x');
      p.done();
      expect(chunks).toEqual([]);
    }
  });

  it('throttles redraws', () => {
    const { chunks, stream } = recorder(true);
    const p = createProgress(stream, true, () => 1000);
    p.update('a');
    p.update('b');
    expect(chunks).toHaveLength(1);
  });
});

describe('config and rule pack resolution', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dmp-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the config and cache under DMPKIT_*_DIR, then XDG, then the home directory', () => {
    expect(configFile({ DMPKIT_CONFIG_DIR: '/c', XDG_CONFIG_HOME: '/x' })).toBe('/c/config.json');
    expect(configFile({ XDG_CONFIG_HOME: '/x' })).toBe('/x/dmpkit/config.json');
    expect(configFile({})).toMatch(/\.config\/dmpkit\/config\.json$/);
    expect(cacheDir({ XDG_CACHE_HOME: '/y' })).toBe('/y/dmpkit');
  });

  it('prefers --rules, then DMPKIT_RULES, then the saved pack', async () => {
    const env = { DMPKIT_CONFIG_DIR: join(dir, 'a') };
    expect(await resolveRulePack(undefined, env)).toBeNull();
    await updateConfig(env, { rules: { root: '/saved' } });
    expect(await resolveRulePack(undefined, env)).toEqual({ dir: '/saved', source: 'config' });
    expect(await resolveRulePack(undefined, { ...env, DMPKIT_RULES: '/env' })).toEqual({ dir: '/env', source: 'env' });
    expect(await resolveRulePack('/flag', { ...env, DMPKIT_RULES: '/env' })).toEqual({ dir: '/flag', source: 'flag' });
  });

  it('keeps unknown keys when saving, and rejects a malformed rules entry', async () => {
    const env = { DMPKIT_CONFIG_DIR: join(dir, 'b') };
    mkdirSync(env.DMPKIT_CONFIG_DIR, { recursive: true });
    writeFileSync(configFile(env), JSON.stringify({ future: { x: 1 } }));
    await updateConfig(env, { rules: { root: '/p', contentHash: 'h' } });
    expect(JSON.parse(readFileSync(configFile(env), 'utf-8'))).toEqual({ future: { x: 1 }, rules: { root: '/p', contentHash: 'h' } });
    writeFileSync(configFile(env), JSON.stringify({ rules: 'oops' }));
    await expect(readConfig(env)).rejects.toThrow(/invalid "rules" entry/);
    writeFileSync(configFile(env), '[]');
    await expect(readConfig(env)).rejects.toThrow(/must hold a JSON object/);
  });
});

describe('input expansion', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dmp-inputs-'));
    for (const f of ['a/one.xml', 'a/b/two.XML', 'a/b/notes.txt', 'a/.hidden/three.xml', 'c.xml', 'empty/x.txt']) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), '<x/>');
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('expands directories to their XML files (any case, hidden folders skipped), sorted and de-duplicated', async () => {
    expect(await expandInputs(['c.xml', 'a', './a/one.xml', 'a/*.xml'], dir)).toEqual(['a/b/two.XML', 'a/one.xml', 'c.xml']);
  });

  it('takes an explicitly named file whatever its extension', async () => {
    expect(await expandInputs(['a/b/notes.txt'], dir)).toEqual(['a/b/notes.txt']);
  });

  it('names the path that does not exist or matches nothing', async () => {
    await expect(expandInputs(['a', 'nope.xml'], dir)).rejects.toThrow('nope.xml: no such file or directory');
    await expect(expandInputs(['**/*.json'], dir)).rejects.toThrow('no file matches the pattern **/*.json');
    await expect(expandInputs(['empty'], dir)).rejects.toThrow('no .xml file under the directory empty');
    await expect(expandInputs(['c.xml/inner'], dir)).rejects.toThrow(CliError);
  });

  it('keeps absolute paths absolute', async () => {
    expect(await expandInputs([join(dir, 'c.xml')], '/')).toEqual([join(dir, 'c.xml')]);
  });
});
