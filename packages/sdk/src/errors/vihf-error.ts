/**
 * Errors of the VIHF (SAML assertion) layer: building, signing or verifying. The VIHF module owns its codes and
 * registers their catalogue entries (registerErrorEntries); this class only carries them.
 */
import { DmpError, type DmpErrorOptions } from './dmp-error.js';
import { sanitizeOptional } from './sanitize.js';
import { text, type LocalizedText } from './types.js';

export interface VihfErrorInit extends DmpErrorOptions {
  code: string;
  /** Defaults to a message naming the code (and the attribute). */
  message?: LocalizedText;
  /** The VIHF attribute or element concerned (`Secteur_Activite`, `Signature`). */
  attribute?: string;
  detail?: string;
}

export class VihfError extends DmpError {
  readonly kind = 'vihf' as const;
  readonly attribute: string | undefined;
  readonly detail: string | undefined;

  constructor(init: VihfErrorInit) {
    const code = init.code?.trim();
    if (!code) throw new TypeError('VihfError: code is required');
    const on = init.attribute ? ` (${init.attribute})` : '';
    super(code, init.message ?? text(`Erreur VIHF ${code}${on}`, `VIHF error ${code}${on}`), init);
    this.attribute = init.attribute;
    this.detail = init.detail;
  }

  protected details(): Record<string, unknown> {
    return { attribute: this.attribute, detail: sanitizeOptional(this.detail, { max: 1000 }) };
  }
}
