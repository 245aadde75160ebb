/** What an injected fault answers (see faults.ts for how one is chosen). */
import { setTimeout as sleep } from 'node:timers/promises';
import { registryError, registryFailure } from '../handlers/registry-errors.js';
import type { SimulatorContext } from './context.js';
import { faultAnswer, SimulatorFault, successAnswer, type HttpAnswer, type SoapCall } from './soap-call.js';

export type Injected = undefined | 'dropped' | { answer: HttpAnswer; outcome: string };

export async function applyFault(ctx: SimulatorContext, service: string, action: string, call: SoapCall): Promise<Injected> {
  const f = ctx.faults.pick(service, action);
  if (!f) return undefined;
  if (f.latencyMs) await sleep(f.latencyMs);
  switch (f.kind) {
    case 'latency':
      return undefined;
    case 'drop':
      return 'dropped';
    case 'soap-fault':
      return { answer: faultAnswer(new SimulatorFault('Receiver', 'InjectedFault', f.reason ?? 'Erreur technique du DMP (faute injectée)'), call.version, call.messageId), outcome: 'fault: soap-fault (injected)' };
    case 'http-status': {
      const status = f.status ?? 503;
      return { answer: { status, contentType: 'text/html; charset=utf-8', body: Buffer.from(`<html><body><h1>${status}</h1><p>${f.reason ?? 'Service indisponible (faute injectée)'}</p></body></html>`) }, outcome: `fault: http ${status} (injected)` };
    }
    case 'registry-busy': {
      if (service === 'registry' || service === 'repository') {
        const code = service === 'registry' ? 'XDSRegistryBusy' : 'XDSRepositoryBusy';
        return { answer: await successAnswer(call, registryFailure([registryError(code, f.reason ?? 'Le DMP est momentanément surchargé, réessayez plus tard (faute injectée)')])), outcome: `fault: ${code} (injected)` };
      }
      return { answer: faultAnswer(new SimulatorFault('Receiver', 'ServiceBusy', f.reason ?? 'Service momentanément surchargé (faute injectée)'), call.version, call.messageId), outcome: 'fault: busy (injected)' };
    }
    case 'malformed-mtom': {
      // A multipart answer whose declared boundary never appears and whose root part is cut in the middle.
      const body = Buffer.from('--uuid:not-the-declared-boundary\r\nContent-Type: application/xop+xml; type="application/soap+xml"\r\n\r\n<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><xdsb:RetrieveDocu');
      return { answer: { status: 200, contentType: 'multipart/related; type="application/xop+xml"; boundary="uuid:declared-boundary"; start="<root@dmp>"; start-info="application/soap+xml"', body }, outcome: 'fault: malformed MTOM (injected)' };
    }
  }
}
