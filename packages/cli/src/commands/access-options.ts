/**
 * The inputs shared by `dmp access check`, `dmp access explain` and `dmp consent check`: one flag per field of
 * the actor, the patient state, the access mode and the document, or a JSON file (--input) holding the same
 * request; plus the policy settings (--on-unknown, --settings). Flags and --input are exclusive, so a run
 * never mixes two descriptions of the same situation.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  ACCESS_AUTH_MODES,
  ACCESS_AUTHORIZATION_STATUSES,
  ACCESS_CARD_TYPES,
  ACCESS_CONFIDENTIALITY_CODES,
  ACCESS_DMP_STATES,
  ACCESS_DOCUMENT_STATUSES,
  ACCESS_MODES,
  parsePolicySettings,
  POLICY_UNKNOWN_OUTCOMES,
  PolicyInputError,
  type AccessActor,
  type AccessDocument,
  type AccessDocumentStatus,
  type AccessMode,
  type AccessPatientState,
  type PolicySettings,
  type PolicyUnknownOutcome,
} from '@dmpkit/sdk';
import type { CommandContext } from '../base/command.js';
import { CliError, fsReason } from '../base/errors.js';

export interface AccessFlags {
  input?: string;
  settings?: string;
  onUnknown?: PolicyUnknownOutcome;
  at?: string;
  // actor
  authMode: string;
  card?: string;
  profession?: string;
  professionSystem?: string;
  specialty?: string;
  role?: string;
  genre?: string;
  mt?: boolean;
  mtRights?: boolean;
  occupational?: boolean;
  actorId?: string;
  structureId?: string;
  // patient
  dmp: string;
  mes?: boolean;
  authorization: string;
  authorizedAt?: string;
  blocked?: boolean;
  opposedBdg?: boolean;
  opposedC15?: boolean;
  maskedAllowedInEmergency?: boolean;
  minor?: boolean;
  // access
  mode: AccessMode;
  secret?: boolean;
  // document
  typeCode?: string;
  classCode?: string;
  confidentiality?: string[];
  status?: AccessDocumentStatus;
  author?: 'self' | 'structure' | 'other' | 'patient';
}

/** Options that describe the request itself (as opposed to the settings): exclusive with --input. */
const REQUEST_OPTIONS = [
  'at', 'actorId', 'structureId', 'authMode', 'card', 'profession', 'professionSystem', 'specialty', 'role', 'genre', 'mt', 'mtRights', 'occupational',
  'dmp', 'mes', 'authorization', 'authorizedAt', 'blocked', 'opposedBdg', 'opposedC15', 'maskedAllowedInEmergency', 'minor',
  'mode', 'secret', 'typeCode', 'classCode', 'confidentiality', 'status', 'author', 'action', 'documents',
  'purpose', 'careTeam', 'informed', 'objected', 'consent', 'lastAccess', 'justification',
];

export function parseTime(value: string): string {
  if (!Number.isFinite(Date.parse(value))) throw new InvalidArgumentError(`expected an ISO 8601 date such as 2025-03-01T10:00:00Z, got "${value}".`);
  return value;
}

function parseConfidentiality(value: string): string[] {
  const codes = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = codes.filter((c) => !(ACCESS_CONFIDENTIALITY_CODES as readonly string[]).includes(c));
  if (bad.length) throw new InvalidArgumentError(`unknown code${bad.length > 1 ? 's' : ''} ${bad.join(', ')} (known: ${ACCESS_CONFIDENTIALITY_CODES.join(', ')}).`);
  return codes;
}

function parseStatus(value: string): AccessDocumentStatus {
  const s = ACCESS_DOCUMENT_STATUSES[value] ?? ACCESS_DOCUMENT_STATUSES[value.toLowerCase()];
  if (!s) throw new InvalidArgumentError('expected approved, archived, deprecated or deleted (or their XDS URNs).');
  return s;
}

/** Settings and input file: every access command has them. */
export function addPolicyOptions(cmd: Command): Command {
  return cmd
    .option('--input <file>', 'the whole request as JSON (see docs/access-policy.md); exclusive with the request flags')
    .addOption(new Option('--on-unknown <outcome>', 'what an undecided request becomes (default: deny)').choices(POLICY_UNKNOWN_OUTCOMES))
    .option('--settings <file>', 'policy settings as JSON (keys of PolicySettings, see docs/access-policy.md)')
    .option('--at <time>', 'time of the access, ISO 8601 (default: now)', parseTime);
}

/** Actor, patient state and access mode flags. */
export function addSituationOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--auth-mode <mode>', 'VIHF Authentification_Mode').choices(ACCESS_AUTH_MODES).default('DIRECTE'))
    .addOption(new Option('--card <type>', 'card in direct mode (default: CPS in direct mode)').choices(ACCESS_CARD_TYPES))
    .option('--profession <code>', 'first VIHF role: profession code, e.g. 10 médecin, 21 pharmacien, 60 infirmier (TRE_G15)')
    .option('--profession-system <system>', 'code system of --profession: G15 (default), G16 (students), R94, R95, R291, A00, or an OID')
    .option('--specialty <code>', 'second VIHF role: savoir-faire (e.g. SM26) or CNOP section (e.g. A); required for médecins and pharmaciens')
    .option('--role <code>', 'third VIHF role: TRE_R85 role')
    .option('--genre <code>', "fourth VIHF role: TRE_R22 genre d'activité")
    .option('--mt', 'the actor is the patient\'s médecin traitant DMP (TD0.2 STATUT_MT)')
    .option('--mt-rights', "the patient gave the actor the médecin traitant's rights")
    .option('--occupational', 'the actor is a médecin du travail (else derived from --specialty)')
    .option('--actor-id <id>', "the actor's PS_IdNat, compared with the documents' authorIds (never printed)")
    .option('--structure-id <id>', "the actor's Struct_IdNat, compared with the documents' authorStructureIds (never printed)")
    .addOption(new Option('--dmp <state>', "the patient's DMP").choices(ACCESS_DMP_STATES).default('open'))
    .option('--mes', 'the DMP is attached to Mon espace santé')
    .addOption(new Option('--authorization <status>', "the actor's authorization on the DMP (TD0.2)").choices(ACCESS_AUTHORIZATION_STATUSES).default('none'))
    .option('--authorized-at <time>', 'when the authorization was given (with the authorizationValidityDays setting)', parseTime)
    .option('--blocked', 'the patient blocked this professional')
    .option('--opposed-bdg', 'the patient opposed bris de glace access')
    .option('--opposed-c15', 'the patient opposed access by the centre 15')
    .option('--masked-allowed-in-emergency', 'the patient allowed masked documents to be read in bris de glace / centre 15')
    .option('--minor', 'the patient is a minor')
    .addOption(new Option('--mode <mode>', 'access mode (VIHF purposeofuse)').choices(ACCESS_MODES).default('normal'))
    .option('--secret', "a minor's secret access (connexion secrète)");
}

/** The document flags of `dmp access check`. */
export function addDocumentOptions(cmd: Command): Command {
  return cmd
    .option('--type-code <code>', 'document typeCode (JDV_J66), e.g. 11488-4')
    .option('--class-code <code>', 'document classCode (JDV_J57), e.g. 10')
    .option('--confidentiality <codes>', `comma list of ${ACCESS_CONFIDENTIALITY_CODES.join(', ')}`, parseConfidentiality)
    .option('--status <status>', 'availability status: approved (default), archived, deprecated, deleted', parseStatus)
    .addOption(new Option('--author <who>', "who authored the document: the actor (self), the actor's structure, someone else, or the patient").choices(['self', 'structure', 'other', 'patient']));
}

/** Placeholder identities for --author: the command line never carries real identifiers. */
const SELF = 'the-actor';
const SELF_STRUCTURE = 'the-actor-structure';
const OTHER = 'someone-else';
const OTHER_STRUCTURE = 'another-structure';

export function actorFromFlags(f: AccessFlags): AccessActor {
  const a: AccessActor = { authMode: f.authMode as AccessActor['authMode'] };
  if (f.card) a.card = f.card as AccessActor['card'];
  else if (f.authMode === 'DIRECTE') a.card = 'CPS';
  if (f.profession) a.profession = f.profession;
  if (f.professionSystem) a.professionSystem = f.professionSystem;
  if (f.specialty) a.specialty = f.specialty;
  if (f.role) a.role = f.role;
  if (f.genre) a.genre = f.genre;
  if (f.mt) a.medecinTraitant = true;
  if (f.mtRights) a.mtEquivalentRights = true;
  if (f.occupational) a.occupationalPhysician = true;
  if (f.actorId) a.id = f.actorId;
  else if (f.author) a.id = SELF;
  if (f.structureId) a.structureId = f.structureId;
  else if (f.author) a.structureId = SELF_STRUCTURE;
  return a;
}

export function patientFromFlags(f: AccessFlags): AccessPatientState {
  const p: AccessPatientState = { dmp: f.dmp as AccessPatientState['dmp'], authorization: f.authorization as AccessPatientState['authorization'] };
  if (f.mes) p.mesActivated = true;
  if (f.authorizedAt) p.authorizedAt = f.authorizedAt;
  if (f.blocked) p.blocked = true;
  if (f.opposedBdg) p.opposedBrisDeGlace = true;
  if (f.opposedC15) p.opposedCentre15 = true;
  if (f.maskedAllowedInEmergency) p.maskedVisibleInEmergency = true;
  if (f.minor) p.minor = true;
  return p;
}

/** The document of the flags, or undefined when no document flag was given; --author is relative to `actor`. */
export function documentFromFlags(f: AccessFlags, actor: AccessActor): AccessDocument | undefined {
  if (!f.typeCode && !f.classCode && !f.confidentiality && !f.status && !f.author) return undefined;
  const d: AccessDocument = {};
  if (f.typeCode) d.typeCode = f.typeCode;
  if (f.classCode) d.classCode = f.classCode;
  if (f.confidentiality) d.confidentiality = f.confidentiality;
  if (f.status) d.status = f.status;
  switch (f.author) {
    case 'self':
      d.authorIds = [actor.id ?? SELF];
      d.authorStructureIds = [actor.structureId ?? SELF_STRUCTURE];
      break;
    case 'structure':
      d.authorIds = [OTHER];
      d.authorStructureIds = [actor.structureId ?? SELF_STRUCTURE];
      break;
    case 'other':
      d.authorIds = [OTHER];
      d.authorStructureIds = [OTHER_STRUCTURE];
      break;
    case 'patient':
      d.authorIds = [OTHER];
      d.authorStructureIds = [OTHER_STRUCTURE];
      d.patientDeposited = true;
      break;
  }
  return d;
}

/** Refuses request flags next to --input (defaults do not count: only what the user typed). */
export function checkInputExclusive(cmd: Command, f: { input?: string }): void {
  if (!f.input) return;
  const given = REQUEST_OPTIONS.filter((name) => cmd.getOptionValueSource(name) === 'cli');
  if (given.length) {
    const flags = given.map((n) => `--${n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    throw new CliError(`--input conflicts with ${flags.join(', ')}`, undefined, 'describe the request either in the JSON file or with flags, not both');
  }
}

/** Reads a JSON file named on the command line, with the position of a syntax error. */
export async function readJsonFile(ctx: CommandContext, file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(resolve(ctx.cwd, file), 'utf-8');
  } catch (err) {
    throw new CliError(`cannot read the ${what} ${file}: ${fsReason(err)}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(message);
    let where = '';
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      where = ` at line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}`;
    }
    throw new CliError(`the ${what} ${file} is not valid JSON${where}`, undefined, 'check the quotes, commas and braces around that place');
  }
}

/** A PolicyInputError as a usage error listing every problem, naming the file it came from. */
export function inputError(err: unknown, file: string | undefined): never {
  if (err instanceof PolicyInputError) {
    const problems = err.problems.length ? `:\n  ${err.problems.join('\n  ')}` : '';
    throw new CliError(`${file ? `${file}: ` : ''}${err.message.split('\n')[0]!.replace(/:$/, '')}${problems}`, undefined, 'see docs/access-policy.md for the fields and their values');
  }
  throw err;
}

/** Settings: --settings file, then the input file's own `settings`, then --on-unknown (the most specific wins). */
export async function settingsFrom(ctx: CommandContext, f: { settings?: string; onUnknown?: PolicyUnknownOutcome }, fromInput: Partial<PolicySettings> = {}): Promise<Partial<PolicySettings>> {
  let fromFile: Partial<PolicySettings> = {};
  if (f.settings) {
    const raw = await readJsonFile(ctx, f.settings, 'settings file');
    try {
      fromFile = parsePolicySettings(raw);
    } catch (err) {
      inputError(err, f.settings);
    }
  }
  return { ...fromFile, ...fromInput, ...(f.onUnknown ? { onUnknown: f.onUnknown } : {}) };
}

export function nowOr(f: { at?: string }): string {
  return f.at ?? new Date().toISOString();
}
