/**
 * The web console in headless Chromium, against a real simulator fed through the SDK client: the patient list,
 * the web DMP's document filters, a document's metadata and bytes, the access history with a refusal of the
 * document-type matrix, notifications, the request log with the decoded VIHF and the decision rules.
 */
import { RetrieveDocumentsCommand, SetAuthorizationCommand, SubmitDocumentsCommand, UpdateDocumentCommand, RegistryError } from '@dmpkit/sdk';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html } from '../src/console/html.js';
import { startSimulator, type RunningSimulator } from '../src/index.js';
import { client, DOCTOR, fixtureVariant, KINE, PATB } from './support.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  const why = `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) to run the console tests`;
  if (process.env.CI) throw new Error(why);
  console.log(`skipping the console tests: ${why}`);
}

/** A fixture document for PATB, with the header values a filter can tell apart. */
function variant(o: { typeCode?: { code: string; displayName: string }; authorId?: string; pharmacist?: boolean; title?: string; creation?: string } = {}) {
  const v = fixtureVariant({ ins: PATB.ins, ...(o.typeCode ? { typeCode: o.typeCode } : {}), ...(o.authorId ? { authorId: o.authorId } : {}) });
  let text = v.content.toString('utf8');
  if (o.pharmacist) {
    text = text
      .replace('code="G15_10/SM26" displayName="Médecin - Qualifié en Médecine Générale (SM)"', 'code="G15_21" displayName="Pharmacien"')
      .replace('<family>DMPKIT-MEDECIN</family>', '<family>DMPKIT-PHARMACIEN</family>');
  }
  if (o.title) text = text.replace('<title>Compte rendu de consultation (test)</title>', `<title>${o.title}</title>`);
  if (o.creation) text = text.replace('<effectiveTime value="20240105103000+0100"/>', `<effectiveTime value="${o.creation}"/>`);
  return { content: Buffer.from(text), uniqueId: v.uniqueId };
}

const PHARMA_TYPE = { code: '93024-8', displayName: 'CR de consultation pharmaceutique' };
const LETTER_TYPE = { code: '83981-1', displayName: "Lettre de liaison à la sortie d'une structure" };

describe('html escaping', () => {
  it('escapes every interpolated value and keeps fragments built by html', () => {
    const v = `<script>alert("x")</script>&'`;
    expect(html`<td title="${v}">${v}</td>`.text).toBe('<td title="&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#38;&#39;">&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#38;&#39;</td>');
    expect(html`<ul>${['a<', 'b'].map((s) => html`<li>${s}</li>`)}</ul>`.text).toBe('<ul><li>a&#60;</li><li>b</li></ul>');
  });
});

describe.skipIf(!hasChromium)('the web console in Chromium', () => {
  let sim: RunningSimulator;
  let browser: Browser;
  let page: Page;
  const docs = {
    pharma: variant({ typeCode: PHARMA_TYPE, creation: '20240320120000+0100' }),
    letter: variant({ typeCode: LETTER_TYPE }),
    colleague: variant({ authorId: '899999000002', pharmacist: true, title: 'Avis &lt;b&gt;pharmaceutique&lt;/b&gt; &amp; suivi' }),
    hidden: variant(),
    // Archiving is for the author's own documents (matrix footnote 8).
    archived: variant({ authorId: DOCTOR.nameId }),
  };

  beforeAll(async () => {
    sim = await startSimulator();
    const doctor = client(sim.baseUrl);
    const kine = client(sim.baseUrl, KINE);
    const sent = await doctor.send(new SubmitDocumentsCommand({ documents: Object.values(docs).map((d) => ({ content: d.content })) }));
    expect(sent.status).toBe('Success');
    await kine.send(new SetAuthorizationCommand({ patient: PATB, action: 'AJOUT' }));
    // A kiné may not read a pharmaceutical consultation report: the document-type matrix refuses it.
    const refused = await kine.send(new RetrieveDocumentsCommand({ patient: PATB, uniqueIds: [docs.pharma.uniqueId] })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RegistryError);
    expect((refused as RegistryError).errors.map((e) => e.errorCode)).toEqual(['DMPAccessDenied']);
    await doctor.send(new UpdateDocumentCommand({ patient: PATB, action: 'mask', document: docs.letter.uniqueId }));
    await doctor.send(new UpdateDocumentCommand({ patient: PATB, action: 'hide-from-patient', document: docs.hidden.uniqueId }));
    await doctor.send(new UpdateDocumentCommand({ patient: PATB, action: 'archive', document: docs.archived.uniqueId }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await sim?.close();
  });

  const resultCount = async () => Number(await page.locator('#result-count').getAttribute('data-count'));
  const rows = () => page.locator('#documents tbody tr');

  it('lists the patients with their DMP state, Mon espace santé and document counts', async () => {
    const res = await page.goto(`${sim.url}/`);
    expect(res?.status()).toBe(200);
    expect(await page.locator('#patients tbody tr').count()).toBe(sim.context.store.patientCount());
    const patb = page.locator(`#patients tr[data-ins="${PATB.ins}"]`);
    expect(await patb.locator("td").first().textContent()).toBe("PATB-QUATRE");
    // 5 deposited; mask and hide-from-patient each make a version 2 (v1 becomes obsolete); one archived.
    expect(await patb.locator('[data-count="current"]').textContent()).toBe('4');
    expect(await patb.locator('[data-count="archived"]').textContent()).toBe('1');
    expect(await patb.locator('[data-count="all"]').textContent()).toBe('7');
    expect(await page.locator('#patients tr[data-ins="270108604926542"] td').nth(3).textContent()).toContain('fermé');
    expect(await page.locator('#patients tr[data-ins="148026322000195"] td').nth(4).textContent()).toBe('oui');
  });

  it('narrows the documents with the filters of the web DMP', async () => {
    await page.click(`#patients tr[data-ins="${PATB.ins}"] a`);
    expect(await resultCount()).toBe(4);
    expect(await rows().count()).toBe(4);

    await page.selectOption('select[name="typeCode"]', '11488-4');
    await page.click('form.filters button[type="submit"]');
    expect(new URL(page.url()).searchParams.get('typeCode')).toBe('11488-4');
    expect(await resultCount()).toBe(2);

    await page.fill('input[name="author"]', 'pharmacien');
    await page.click('form.filters button[type="submit"]');
    expect(await resultCount()).toBe(1);
    // The title holds markup characters: shown as text, never as elements.
    expect(await rows().first().locator('td a').textContent()).toBe('Avis <b>pharmaceutique</b> & suivi');
    expect(await rows().locator('b').count()).toBe(0);

    await page.click('form.filters a'); // reset
    await page.selectOption('select[name="profession"]', 'G15_21');
    await page.click('form.filters button[type="submit"]');
    expect(await resultCount()).toBe(1);
    await page.goto(`${sim.url}/patients/${PATB.ins}?profession=G15_10`);
    expect(await resultCount()).toBe(3);

    await page.goto(`${sim.url}/patients/${PATB.ins}`);
    await page.fill('input[name="from"]', '2024-03-01');
    await page.click('form.filters button[type="submit"]');
    expect(await resultCount()).toBe(1);
    await page.selectOption('select[name="periodOn"]', 'service');
    await page.click('form.filters button[type="submit"]');
    expect(await resultCount()).toBe(0);
    await page.goto(`${sim.url}/patients/${PATB.ins}?from=2024-01-05&to=2024-01-05`);
    expect(await resultCount()).toBe(3);

    const byStatus = async (status: string) => {
      await page.goto(`${sim.url}/patients/${PATB.ins}`);
      await page.selectOption('select[name="status"]', status);
      await page.click('form.filters button[type="submit"]');
      return resultCount();
    };
    expect(await byStatus('archived')).toBe(1);
    expect(await byStatus('deprecated')).toBe(2);
    expect(await byStatus('deleted')).toBe(0);
    expect(await byStatus('all')).toBe(7);

    await page.goto(`${sim.url}/patients/${PATB.ins}`);
    await page.check('input[name="invisiblePatient"]');
    await page.click('form.filters button[type="submit"]');
    expect(await resultCount()).toBe(1);
    expect(await rows().first().textContent()).toContain('INVISIBLE_PATIENT');

    await page.goto(`${sim.url}/patients/${PATB.ins}?signatures=1`);
    expect(await resultCount()).toBe(5);
    await page.goto(`${sim.url}/patients/${PATB.ins}`);
    await page.screenshot({ path: '/tmp/console.png', fullPage: true });
  });

  it("shows a document's metadata, its versions, and serves its bytes", async () => {
    await page.goto(`${sim.url}/patients/${PATB.ins}?typeCode=83981-1`);
    await page.click('#documents tbody tr a');
    const field = (name: string) => page.locator(`#metadata > tbody > tr[data-field="${name}"] > td`);
    expect(await field('uniqueId').textContent()).toBe(docs.letter.uniqueId);
    expect(await field('typeCode').textContent()).toContain('83981-1');
    expect(await field('confidentialityCode').textContent()).toContain('MASQUE_PS');
    expect(await field('version').textContent()).toBe('2');
    expect(await field('authors').textContent()).toContain('G15_10/SM26');
    expect(await page.locator('#versions tbody tr').count()).toBe(2);
    // The CDA is shown as text.
    expect(await page.locator('#content').textContent()).toContain(`<id root="${docs.letter.uniqueId}"/>`);
    const href = await page.locator('#content-link').getAttribute('href');
    const got = await page.request.get(`${sim.url}${href}`);
    expect(got.status()).toBe(200);
    expect(got.headers()['content-type']).toBe('text/xml');
    expect(Buffer.from(await got.body()).equals(docs.letter.content)).toBe(true);
    // The obsolete version 1 is one click away.
    await page.click('#versions tbody a');
    expect(await field('version').textContent()).toBe('1');
    expect(await field('availabilityStatus').textContent()).toContain('obsolète');
  });

  it('answers 404 with a clear message for an unknown patient, document or request, 405 for a write', async () => {
    const patient = await page.goto(`${sim.url}/patients/100000000000099`);
    expect(patient?.status()).toBe(404);
    expect(await page.locator('main').textContent()).toContain("Aucun patient d'INS 100000000000099");
    const doc = await page.goto(`${sim.url}/patients/${PATB.ins}/documents/urn:uuid:00000000-0000-0000-0000-000000000000`);
    expect(doc?.status()).toBe(404);
    expect(await page.locator('main').textContent()).toContain("n'a pas de document d'entryUUID urn:uuid:00000000-0000-0000-0000-000000000000");
    const content = await page.request.get(`${sim.url}/patients/${PATB.ins}/documents/urn:uuid:00000000-0000-0000-0000-000000000000/content`);
    expect(content.status()).toBe(404);
    expect((await page.request.get(`${sim.url}/requests/999999`)).status()).toBe(404);
    expect((await page.request.post(`${sim.url}/`, { data: 'x' })).status()).toBe(405);
  });

  it('shows the refused TD3.2 in the access history with its rule, then the request with its decoded VIHF', async () => {
    await page.goto(`${sim.url}/patients/${PATB.ins}/history`);
    const denied = page.locator('#traces tr[data-action="TD3.2"][data-decision="deny"]');
    expect(await denied.count()).toBe(1);
    const text = (await denied.textContent()) ?? '';
    expect(text).toContain('DOC-MATRIX-CELL');
    expect(text).toContain(KINE.nameId);
    expect(text).toContain(docs.pharma.uniqueId);
    expect(await denied.locator('td').nth(4).textContent()).toBe('normal');

    await denied.locator('a[href^="/requests/"]').click();
    const vihf = (name: string) => page.locator(`#vihf tr[data-field="${name}"] td`);
    expect(await vihf('nameId').textContent()).toBe(KINE.nameId);
    expect(await vihf('subjectId').textContent()).toBe('PAUL KINE');
    expect(await vihf('profession').textContent()).toContain('70');
    expect(await vihf('structureId').textContent()).toBe(DOCTOR.structureId);
    expect(await vihf('authenticationMode').textContent()).toBe('DIRECTE');
    expect(await vihf('purposeOfUse').textContent()).toBe('normal');
    const decision = page.locator('#decisions tr[data-decision="deny"]');
    expect(await decision.count()).toBe(1);
    expect(await decision.textContent()).toContain('DOC-MATRIX-CELL');
    const raw = await page.request.get(`${sim.url}${await page.locator('#raw-request').getAttribute('href')}`);
    expect(raw.status()).toBe(200);
    expect(await raw.text()).toContain('Assertion');
  });

  it('lists the requests with their outcome and the refusals', async () => {
    await page.goto(`${sim.url}/requests`);
    const rows = page.locator('#requests tbody tr');
    expect(await rows.count()).toBe(sim.context.store.requests().length);
    const retrieve = page.locator('#requests tr[data-transaction="TD3.2"]');
    expect(await retrieve.count()).toBe(1);
    expect(await retrieve.textContent()).toContain('refus');
    expect(await page.locator('#requests tr[data-transaction="TD2.1"]').count()).toBe(1);
    expect(await page.locator('#requests tr[data-transaction="TD3.3"]').count()).toBeGreaterThanOrEqual(3);
  });

  it("shows the patient's notifications", async () => {
    await page.goto(`${sim.url}/patients/${PATB.ins}/notifications`);
    const first = page.locator('#notifications tr[data-kind="first-access"]');
    expect(await first.count()).toBeGreaterThanOrEqual(1);
    expect(await first.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('MAX LIBRE')]));
  });
});
