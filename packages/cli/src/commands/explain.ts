/**
 * `dmp explain <saved response | recording>`: the diagnosis of the error a DMP answer carries — what happened,
 * probable causes, the fix — from the SDK's error catalogue, with the correlation id to quote to support. Given the
 * request (`--request`, or the one of a recording folder) or the CDA (`--cda`), it points at the offending element.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  decodeMessage,
  decodeMessageVihf,
  errorOfResponse,
  explainCode,
  explainError,
  formatDiagnosis,
  sanitizeText,
  text,
  type Diagnosis,
  type DmpError,
  type DmpErrorJson,
} from '@dmpkit/sdk';
import { action, type CommandContext } from '../base/command.js';
import { CliError, fsReason } from '../base/errors.js';
import { ExitCode } from '../base/exit-codes.js';
import { locateOffending, type Located } from './explain-locate.js';

interface ExplainOptions {
  request?: string;
  cda?: string;
  lang: 'fr' | 'en';
}

export function registerExplain(parent: Command, ctx: CommandContext): void {
  parent
    .command('explain')
    .description('diagnose the error in a saved DMP response or a recording folder (what happened, causes, fix)')
    .argument('<file>', 'a saved response (SOAP, MTOM, HTTP capture) or a recording folder (exchange.json, request.http, response.http)')
    .option('--request <file>', 'the request that was sent: point at the offending element (line:column)')
    .option('--cda <file>', 'the CDA document the metadata came from: point at the header element concerned')
    .option('--lang <lang>', 'fr or en', (v) => {
      if (v !== 'fr' && v !== 'en') throw new CliError(`--lang must be fr or en, not "${v}"`);
      return v;
    }, 'fr')
    .action(action(ctx, (file: string, opts: ExplainOptions) => runExplain(ctx, file, opts)));
}

async function read(ctx: CommandContext, file: string): Promise<Buffer> {
  try {
    return await readFile(resolve(ctx.cwd, file));
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${fsReason(err)}`);
  }
}

interface Saved {
  response?: Buffer;
  request?: Buffer;
  exchange?: { correlationId?: string; transaction?: string; error?: DmpErrorJson };
}

/**
 * The recorder stores bodies as received by undici, already de-chunked, but keeps the `transfer-encoding: chunked`
 * header: read as is, the body would be de-chunked a second time and not decode. The header is dropped here.
 */
function recordedHttp(message: Buffer): Buffer {
  const end = message.indexOf('\r\n\r\n');
  if (end < 0) return message;
  const head = message.subarray(0, end).toString('latin1');
  const kept = head.split('\r\n').filter((line) => !/^transfer-encoding\s*:\s*chunked\s*$/i.test(line));
  return Buffer.concat([Buffer.from(kept.join('\r\n'), 'latin1'), message.subarray(end)]);
}

/** A recording folder (transport recorder layout), its exchange.json, or a message file. */
async function load(ctx: CommandContext, file: string): Promise<Saved> {
  const path = resolve(ctx.cwd, file);
  const info = await stat(path).catch((err: unknown) => {
    throw new CliError(`cannot read ${file}: ${fsReason(err)}`);
  });
  const dir = info.isDirectory() ? path : file.endsWith('exchange.json') ? resolve(path, '..') : undefined;
  if (!dir) return { response: await read(ctx, file) };
  const optional = (name: string) => readFile(join(dir, name)).then((b) => (name.endsWith('.http') ? recordedHttp(b) : b), () => undefined);
  const exchangeText = await optional('exchange.json');
  if (!exchangeText) throw new CliError(`${file} is not a recording folder: no exchange.json`);
  const saved: Saved = { exchange: JSON.parse(exchangeText.toString('utf8')) as Saved['exchange'] };
  const response = await optional('response.http');
  const request = await optional('request.http');
  if (response) saved.response = response;
  if (request) saved.request = request;
  return saved;
}

/** A diagnosis for a recorded error that has no response to decode (transport failures). */
function diagnosisOfJson(e: DmpErrorJson): Diagnosis {
  const item = explainCode(e.code);
  return {
    errorName: e.name,
    kind: e.kind,
    code: e.code,
    summary: text(`${e.code} — ${item.meaning.fr}`, `${e.code} — ${item.meaning.en}`),
    known: item.known,
    items: [{ ...item, occurrences: [{ context: sanitizeText(e.message, { max: 500 }) }] }],
    facts: [],
    ...(e.correlationId ? { correlationId: e.correlationId } : {}),
    ...(e.transaction ? { transaction: e.transaction } : {}),
  };
}

async function runExplain(ctx: CommandContext, file: string, opts: ExplainOptions): Promise<ExitCode> {
  const saved = await load(ctx, file);
  const out = ctx.output();
  let error: DmpError | undefined;
  let diagnosis: Diagnosis | undefined;
  let noError: string | undefined;
  if (saved.response) {
    const decoded = decodeMessage(saved.response, undefined, { decodeAssertion: decodeMessageVihf });
    const correlationId = saved.exchange?.correlationId ?? decoded.soap?.addressing.relatesTo ?? decoded.soap?.addressing.messageId ?? '';
    const transaction = saved.exchange?.transaction ?? decoded.payload.transaction ?? '';
    error = errorOfResponse(decoded, { correlationId, transaction, ...(decoded.http?.status ? { httpStatus: decoded.http.status } : {}) });
    if (error) diagnosis = explainError(error);
    else noError = `no error in this message: ${decoded.payload.family} ${decoded.payload.name ?? '(unrecognised payload)'}${decoded.xds && 'outcome' in decoded.xds ? ` ${decoded.xds.outcome}` : ''}`;
  } else if (saved.exchange?.error) {
    diagnosis = diagnosisOfJson(saved.exchange.error);
  } else {
    throw new CliError(`${file}: the recording has neither a response nor an error`);
  }

  const requestFile = opts.request ? await read(ctx, opts.request) : saved.request;
  const located: Array<{ file: string; at: Promise<Located[]> }> = [];
  if (error && diagnosis) {
    if (requestFile) located.push({ file: opts.request ?? join(file, 'request.http'), at: safeLocate(() => locateOffending(error!, diagnosis!, requestFile, 'request')) });
    if (opts.cda) located.push({ file: opts.cda, at: safeLocate(async () => locateOffending(error!, diagnosis!, await read(ctx, opts.cda!), 'cda')) });
  }
  const resolved = await Promise.all(located.map(async (l) => ({ file: l.file, at: await l.at })));

  if (ctx.globals().json) {
    out.print(JSON.stringify({ file, ...(noError ? { error: null, message: noError } : { diagnosis, located: resolved }) }, null, 2));
  } else if (noError) {
    out.print(noError);
  } else {
    let report = formatDiagnosis(diagnosis!, opts.lang).trimEnd();
    for (const l of resolved) {
      const title = opts.lang === 'fr' ? `Élément en cause dans ${l.file}` : `Offending element in ${l.file}`;
      const none = opts.lang === 'fr' ? '  (aucun élément identifié)' : '  (no element identified)';
      report += `\n\n${title}:\n${l.at.length ? l.at.map((a) => `  ${l.file}:${a.line}:${a.column} <${a.element}> ${a.xpath} — ${a.reason}`).join('\n') : none}`;
    }
    out.print(report);
  }
  if (noError) return ExitCode.OK;
  return diagnosis!.kind === 'transport' ? ExitCode.TRANSPORT : ExitCode.DMP_ERROR;
}

/** The location is a help: an unreadable request does not hide the diagnosis, it says why there is none. */
async function safeLocate(run: () => Located[] | Promise<Located[]>): Promise<Located[]> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot read the XML to locate the error: ${(err as Error).message}`);
  }
}
