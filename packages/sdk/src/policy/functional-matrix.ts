/**
 * The functional rights matrix (PDT-INF-526: action rows × profiles A–L) compiled into per-row tables with
 * one precomputed rule hit per cell, so looking a cell up allocates nothing.
 */
import type { FunctionalMatrixData, AccessProfileId } from './data-types.js';
import { ACCESS_PROFILE_IDS } from './profiles.js';
import { hit, type PolicyRuleId } from './rules.js';
import type { RuleHit } from './types.js';

export interface CompiledCell {
  readonly allowed: boolean;
  readonly footnotes: readonly string[];
  readonly hit: RuleHit;
}

export interface CompiledRow {
  readonly id: string;
  readonly label: string;
  readonly star: boolean;
  readonly cells: readonly CompiledCell[];
}

/** TD3.2 rows: their cells are visibility rules, named as such when the matrix decides them. */
const CONSULT_ROWS = new Set(['TD3.2-unmasked', 'TD3.2-masked', 'TD3.2-special']);

function ruleFor(rowId: string, profile: AccessProfileId, allowed: boolean, footnotes: readonly string[]): PolicyRuleId {
  // Column G refuses every consultation row: that is the médecin du travail visibility rule.
  if (profile === 'G' && !allowed && CONSULT_ROWS.has(rowId)) return 'VIS-MEDECIN-TRAVAIL';
  // A plain "oui" for the médecin traitant on masked documents: MT sees what is masked to professionals.
  if (rowId === 'TD3.2-masked' && allowed && footnotes.length === 0 && (profile === 'H' || profile === 'I')) return 'VIS-MASQUE-PS-MT';
  return 'ACC-MATRIX-FUNC';
}

export class CompiledFunctionalMatrix {
  readonly data: FunctionalMatrixData;
  private readonly rows = new Map<string, CompiledRow>();
  /** Hits for actions the extracted table has no row for (TD1.3b, TD1.4, TD1.5), per profile. */
  private readonly noRow = new Map<string, RuleHit>();

  constructor(data: FunctionalMatrixData) {
    this.data = data;
    const name = `${data.id} v${data.version}`;
    for (const row of data.rows) {
      if (row.cells.length !== ACCESS_PROFILE_IDS.length) throw new Error(`functional matrix row ${row.id}: ${row.cells.length} cells`);
      const cells = row.cells.map((c, i): CompiledCell => {
        const profile = ACCESS_PROFILE_IDS[i]!;
        const value = `${c.allowed ? 'oui' : 'non'}${c.footnotes.length ? `(${c.footnotes.join(',')})` : ''}`;
        const star = row.star ? ' (row marked *)' : '';
        return Object.freeze({
          allowed: c.allowed,
          footnotes: Object.freeze([...c.footnotes]),
          hit: hit(ruleFor(row.id, profile, c.allowed, c.footnotes), c.allowed ? 'allow' : 'deny', `Functional matrix ${name}: "${row.label}"${star} × profile ${profile} = ${value}.`),
        });
      });
      this.rows.set(row.id, Object.freeze({ id: row.id, label: row.label, star: row.star, cells: Object.freeze(cells) }));
    }
  }

  row(id: string): CompiledRow | undefined {
    return this.rows.get(id);
  }

  cell(rowId: string, profile: AccessProfileId): CompiledCell | undefined {
    return this.rows.get(rowId)?.cells[ACCESS_PROFILE_IDS.indexOf(profile)];
  }

  /** The unknown hit of an action without a row in the extracted table. */
  missingRow(actionId: string, actionLabel: string): RuleHit {
    let h = this.noRow.get(actionId);
    if (!h) {
      h = hit('ACC-MATRIX-FUNC', 'unknown', `Functional matrix ${this.data.id} v${this.data.version}: the extracted table has no row for ${actionId} (${actionLabel}); its cells are unknown.`);
      this.noRow.set(actionId, h);
    }
    return h;
  }
}
