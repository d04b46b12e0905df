import { describe, expect, it } from 'vitest';
import { configSchema } from '../../bot/config.js';
import { presentDiagnosis } from '../../bot/present.js';
import { probeOffer } from '../../bot/probe/offer.js';
import { createDiagnoser, type Diagnosis } from '../../rules/index.js';

// No reply tells anyone to run what the bot itself would refuse: a `tls-triage probe H:P` the probe
// policy refuses becomes the openssl command, and the Probe button is offered only when allowed.

const diagnoser = createDiagnoser();
const config = configSchema.parse({});
const PROBE = /tls-triage probe (\S+)/g;

function refusedProbes(d: Diagnosis, policy = config.probe): string[] {
  const texts = [...d.nextSteps, ...(d.alternatives ?? []).map((a) => a.check)];
  return texts.flatMap((t) => [...t.matchAll(PROBE)].map((m) => (m[1] as string).replace(/[:.,;)]+$/, ''))).filter((target) => !target.includes('<') && !probeOffer(policy, target).allowed);
}

describe('runnable next steps', () => {
  it('rewrites a refused loopback probe to s_client from a host that reaches it, and offers no Probe button', async () => {
    const d = await diagnoser.diagnoseText('* Connected to 127.0.0.1 (127.0.0.1) port 8443\ncurl: (60) SSL certificate problem: unable to get local issuer certificate');
    expect(d.endpoint).toEqual({ host: '127.0.0.1', port: 8443 });
    expect(refusedProbes(d)).not.toEqual([]);
    const shown = presentDiagnosis(d, config);
    expect(refusedProbes(shown.diagnosis)).toEqual([]);
    expect(shown.diagnosis.nextSteps.join('\n')).toContain("openssl s_client -connect 127.0.0.1:8443 -CAfile internal-ca.pem -showcerts </dev/null reports trusted / chainComplete (run it from a host that reaches 127.0.0.1:8443: the bot's probe policy refuses it)");
    expect(shown.probeTarget).toBeUndefined();
    // An allow entry (--allow, PROBE_ALLOW) lifts the refusal: the step and the button stay.
    const allowed = presentDiagnosis(d, configSchema.parse({ probe: { allow: ['127.0.0.1'] } }));
    expect(allowed.diagnosis.nextSteps).toEqual(d.nextSteps);
    expect(allowed.probeTarget).toBe('127.0.0.1:8443');
  });

  it('offers the Probe button for a named endpoint the policy allows, and not for a denied name', async () => {
    const d = await diagnoser.diagnoseText('curl: (60) SSL certificate problem: certificate has expired\nMore: curl https://payments.internal.example.com:8443/api');
    expect(presentDiagnosis(d, config).probeTarget).toBe('payments.internal.example.com:8443');
    expect(presentDiagnosis(d, configSchema.parse({ probe: { deny: ['payments.internal.example.com'] } })).probeTarget).toBeUndefined();
    expect(presentDiagnosis(d, configSchema.parse({ probe: { mode: 'allowlist' } })).probeTarget).toBeUndefined();
    expect(presentDiagnosis(d, configSchema.parse({ probe: { mode: 'allowlist', allow: ['payments.internal.example.com:8443'] } })).probeTarget).toBe('payments.internal.example.com:8443');
  });

  it('sends a listen address to the server itself, and leaves placeholders and allowed targets alone', () => {
    const base: Diagnosis = {
      cause: 'server-chain-incomplete', team: 'server', title: 't', explanation: 'e', vantage: 'server', redHerringPresent: false, redHerringOnly: false, evidence: [], warnings: [], others: [],
      nextSteps: ['tls-triage probe 0.0.0.0:443 reports chainComplete', 'tls-triage probe <host>:<port>', 'tls-triage probe 10.1.1.10:443', 'tls-triage probe [::1]:8443.'],
      alternatives: [{ cause: 'server-cert-untrusted', team: 'client', check: 'tls-triage probe 169.254.169.254:443: trusted' }],
    };
    const shown = presentDiagnosis(base, config).diagnosis;
    expect(shown.nextSteps).toEqual([
      'openssl s_client -connect 127.0.0.1:443 -showcerts </dev/null reports chainComplete (run it on the server itself: 0.0.0.0:443 is the address it listens on, which the bot does not probe)',
      'tls-triage probe <host>:<port>',
      'tls-triage probe 10.1.1.10:443',
      'openssl s_client -connect [::1]:8443 -showcerts </dev/null. (run it from a host that reaches [::1]:8443: the bot\'s probe policy refuses it)',
    ]);
    expect(shown.alternatives?.[0]?.check).toBe("openssl s_client -connect 169.254.169.254:443 -showcerts </dev/null: trusted (run it from a host that reaches 169.254.169.254:443: the bot's probe policy refuses it)");
    expect(refusedProbes(shown)).toEqual([]);
  });

  it('holds over the fixtures: no step of any diagnosis carries a probe the default policy refuses', async () => {
    const { loadLogFixtures, readFixture } = await import('../helpers/fixtures.js');
    let rewritten = 0;
    for (const f of loadLogFixtures().filter((x) => !x.file.startsWith('negative'))) {
      const d = await diagnoser.diagnoseText(readFixture(f.file));
      if (refusedProbes(d).length > 0) rewritten += 1;
      expect(refusedProbes(presentDiagnosis(d, config).diagnosis), f.file).toEqual([]);
    }
    // The fixtures were recorded on 127.0.0.1: many name a loopback endpoint the policy refuses.
    expect(rewritten).toBeGreaterThan(10);
  });
});
