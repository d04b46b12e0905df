import { describe, expect, it } from 'vitest';
import { checkRuleFiles, createDiagnoser, RuleFileError } from '../../../rules/index.js';

function problemsOf(files: { name: string; text: string }[]): string[] {
  try {
    checkRuleFiles(files);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleFileError);
    return [...(error as RuleFileError).problems];
  }
  throw new Error('expected the rule files to be refused');
}

const family = (body: object): string => JSON.stringify({ family: 'ops-extra', description: 'an ops team file', ...body });
const rule = (conditions: object, cause = 'handshake-aborted'): object => ({
  name: 'ops-rule',
  priority: 50,
  conditions,
  event: { type: 'diagnosis', params: { cause, team: 'both', title: 't', explanation: 'e', nextSteps: [] } },
});

describe('rule file validation', () => {
  it('accepts the built-in catalog', () => {
    expect(() => createDiagnoser()).not.toThrow();
  });

  it('names the file for invalid JSON', () => {
    expect(problemsOf([{ name: 'ops/broken.json', text: '{"family": ' }])[0]).toMatch(/^ops\/broken\.json: not valid JSON/);
  });

  it('names the file and the field for a schema error', () => {
    const problems = problemsOf([{ name: 'ops/a.json', text: family({ signatures: [{ id: 'x-1', signal: 'ops.x', contains: [] }] }) }]);
    expect(problems.join('\n')).toMatch(/ops\/a\.json: signatures\[0\]\.contains: give at least one literal/);
  });

  it('refuses a literal with a line break (lines are matched one at a time)', () => {
    const problems = problemsOf([{ name: 'ops/a.json', text: family({ signatures: [{ id: 'x-1', signal: 'ops.x', contains: ['first line\nsecond'] }] }) }]);
    expect(problems.join('\n')).toMatch(/ops\/a\.json: signatures\[0\]\.contains\[0\]: a literal is matched within one line/);
  });

  it('rejects unknown keys (a typo must not be ignored)', () => {
    const problems = problemsOf([{ name: 'ops/a.json', text: family({ signatures: [{ id: 'x-1', signal: 'ops.x', contians: ['abc'], contains: ['abc'] }] }) }]);
    expect(problems.join('\n')).toMatch(/ops\/a\.json: signatures\[0\].*contians/);
  });

  it('rejects an unknown fact, operator and cause id', () => {
    const text = family({ rules: [rule({ all: [{ fact: 'signal', operator: 'contains', value: 'tls.no-shared-cipher' }] }, 'made-up-cause')] });
    const problems = problemsOf([{ name: 'ops/r.json', text }]).join('\n');
    expect(problems).toMatch(/ops\/r\.json: rules\[0\]\.event/);
    const bad = family({ rules: [rule({ all: [{ fact: 'signal', operator: 'contains', value: 'x' }, { fact: 'vantage', operator: 'like', value: 'server' }] })] });
    const p2 = problemsOf([{ name: 'ops/r.json', text: bad }]).join('\n');
    expect(p2).toMatch(/rules\[0\]\.conditions\.all\[0\]\.fact: unknown fact "signal"/);
    expect(p2).toMatch(/rules\[0\]\.conditions\.all\[1\]\.operator: unknown operator "like"/);
  });

  it('rejects a signal no signature emits, with a hint', () => {
    const text = family({ rules: [rule({ all: [{ fact: 'signals', operator: 'contains', value: 'tls.no-shared-ciphers' }] })] });
    expect(problemsOf([{ name: 'ops/r.json', text }]).join('\n')).toMatch(/unknown signal "tls\.no-shared-ciphers" \(did you mean "tls\.no-shared-cipher"\?\)/);
  });

  it('rejects catastrophic or invalid regular expressions and unknown capture groups', () => {
    const sig = (pattern: string): object => ({ id: 'p-1', signal: 'ops.p', contains: ['abc'], pattern });
    expect(problemsOf([{ name: 'ops/p.json', text: family({ signatures: [sig('(a+)+$')] }) }]).join('\n')).toMatch(/backtrack/);
    expect(problemsOf([{ name: 'ops/p.json', text: family({ signatures: [sig('.*a.*b.*c')] }) }]).join('\n')).toMatch(/backtrack/);
    expect(problemsOf([{ name: 'ops/p.json', text: family({ signatures: [sig('([a-z')] }) }]).join('\n')).toMatch(/not a valid regular expression/);
    expect(problemsOf([{ name: 'ops/p.json', text: family({ signatures: [sig('(?<port>\\d{1,5})')] }) }]).join('\n')).toMatch(/unknown capture group "port"/);
  });

  it('rejects duplicate ids across files, naming both', () => {
    const a = family({ signatures: [{ id: 'dup-1', signal: 'ops.d', contains: ['abc'] }] });
    const b = JSON.stringify({ family: 'ops-other', description: 'd', signatures: [{ id: 'dup-1', signal: 'ops.d', contains: ['abd'] }] });
    expect(problemsOf([{ name: 'ops/a.json', text: a }, { name: 'ops/b.json', text: b }]).join('\n')).toMatch(/ops\/b\.json: signature id "dup-1" is already defined in ops\/a\.json/);
  });

  it('an ops team file adds a signature and a rule without TypeScript', async () => {
    const text = JSON.stringify({
      family: 'ops-gateway',
      description: 'our load balancer',
      signatures: [{ id: 'lb-backend-tls-down', signal: 'ops.lb-backend-tls-down', contains: ['backend tls pool down'], source: 'f5' }],
      rules: [
        {
          name: 'lb-backend-tls-down',
          priority: 60,
          conditions: { all: [{ fact: 'signals', operator: 'contains', value: 'ops.lb-backend-tls-down' }] },
          event: { type: 'diagnosis', params: { cause: 'handshake-aborted', team: 'network', title: 'LB pool down', explanation: 'The F5 says so.', nextSteps: ['tmsh show ltm pool'] } },
        },
      ],
    });
    const diagnoser = createDiagnoser([{ name: 'ops/f5.json', text }]);
    const d = await diagnoser.diagnoseText('Nov 22 08:00:00 lb1 warning: Backend TLS pool down for pool_api');
    expect(d.cause).toBe('handshake-aborted');
    expect(d.team).toBe('network');
    expect(d.nextSteps).toEqual(['tmsh show ltm pool']);
  });
});
