/** Exit code 2 cases and the CLI surface: none of these need the validation pipeline to have run. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS, expectGolden, normalize, requireBuiltCli, sandbox, type Sandbox } from './helpers.js';

let sb: Sandbox;
beforeAll(() => {
  requireBuiltCli();
  sb = sandbox();
  sb.write('docs/not-cda.xml', DOCS.notCda);
  sb.write('empty-dir/readme.txt', 'no xml here');
  sb.write('pack-like/schematrons/x.sch', '<schema/>');
});
afterAll(() => sb.cleanup());

function expectUsageError(args: string[], message: RegExp | string, env?: NodeJS.ProcessEnv) {
  const r = sb.run(args, env);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stdout).toBe('');
}

describe('dmp usage errors exit 2', () => {
  it('a missing file, named in the message', () => {
    expectUsageError(['validate', 'docs/not-cda.xml', 'docs/absent.xml'], /error: docs\/absent\.xml: no such file or directory/);
  });

  it('a glob matching nothing', () => {
    expectUsageError(['validate', 'docs/*.json'], /no file matches the pattern docs\/\*\.json/);
  });

  it('a directory without XML', () => {
    expectUsageError(['validate', 'empty-dir'], /no \.xml file under the directory empty-dir/);
  });

  it('an unknown flag', () => {
    expectUsageError(['validate', '--bogus', 'docs'], /unknown option '--bogus'/);
  });

  it('a bad --format', () => {
    expectUsageError(['validate', '--format', 'html', 'docs'], /argument 'html' is invalid\. Allowed choices are text, json, junit, sarif/);
  });

  it('a bad --fail-on, --layers, --max-size, --jobs or --max-warnings', () => {
    expectUsageError(['validate', '--fail-on', 'info', 'docs'], /Allowed choices are error, warning/);
    expectUsageError(['validate', '--layers', 'xml,xslt', 'docs'], /unknown layer xslt/);
    expectUsageError(['validate', '--max-size', 'big', 'docs'], /expected bytes or a size like 20MB/);
    expectUsageError(['validate', '--jobs', '0', 'docs'], /must be at least 1/);
    expectUsageError(['validate', '--max-warnings', '-1', 'docs'], /--max-warnings/);
  });

  it('no path at all', () => {
    expectUsageError(['validate'], /missing required argument 'paths'/);
  });

  it('--json with another --format', () => {
    expectUsageError(['--json', 'validate', '--format', 'junit', 'docs'], /--json conflicts with --format junit/);
  });

  it('an --output in a directory that does not exist', () => {
    expectUsageError(['validate', 'docs', '--output', 'nowhere/report.xml'], /the directory nowhere does not exist/);
  });

  it('a rule pack that does not exist or is not a TestContenuCDA tree, naming where it came from', () => {
    expectUsageError(['validate', 'docs', '--rules', 'no-such-pack'], /the rule pack no-such-pack \(from --rules\) does not exist/);
    expectUsageError(['validate', 'docs'], /pack-like \(from DMPKIT_RULES\) does not look like a TestContenuCDA tree: missing infrastructure\/cda\/CDA_extended\.xsd, jeuxDeValeurs\//, {
      DMPKIT_RULES: 'pack-like',
    });
  });

  it('an unknown command, and no command', () => {
    expectUsageError(['valdiate', 'docs'], /unknown command 'valdiate'/);
    expect(sb.run([]).code).toBe(2);
    expect(sb.run(['rules']).code).toBe(2);
  });
});

describe('dmp help and version exit 0', () => {
  it('--version prints the SDK version', async () => {
    const { SDK_VERSION } = await import('@dmpkit/sdk');
    const r = sb.run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(SDK_VERSION);
  });

  it('help texts', () => {
    for (const [args, name] of [
      [['--help'], 'help.txt'],
      [['validate', '--help'], 'validate-help.txt'],
      [['rules', '--help'], 'rules-help.txt'],
    ] as const) {
      const r = sb.run([...args]);
      expect(r.code).toBe(0);
      expectGolden(name, normalize(r.stdout, sb.dir));
    }
  });
});
