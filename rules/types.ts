import type { CauseId, Role, Vantage, WarningId } from './vocabulary.js';

export interface EvidenceLine {
  /** 1-based line number in the input. */
  readonly line: number;
  readonly text: string;
  /** Which document of an incident (evidence number) the line is in, when there are several. */
  readonly document?: number;
}

/** Where a line came from, as far as its own text tells. */
export interface LineContext {
  /** Connection key: DataPower tid, nginx connection number... undefined when the line carries none. */
  connection?: string;
  source?: string;
  vantage?: Exclude<Vantage, 'unknown'>;
  /** DataPower object, e.g. "ssl-server(MySSLServer)"; domain; addresses named by the line. */
  object?: string;
  domain?: string;
  server?: string;
  client?: string;
  host?: string;
  x509?: string;
}

/**
 * A LineContext with every field present (undefined when unknown), always in the same order: the
 * scanner reads and writes these for every hit line of a big log, and objects of one shape keep
 * those property accesses fast (objects built field by field in varying orders do not).
 */
export function fullContext(from: LineContext = {}): LineContext {
  return {
    connection: from.connection,
    source: from.source,
    vantage: from.vantage,
    object: from.object,
    domain: from.domain,
    server: from.server,
    client: from.client,
    host: from.host,
    x509: from.x509,
  };
}

/** One line that matched one or more signatures. */
export interface LineHit {
  readonly line: number;
  readonly text: string;
  readonly signals: readonly string[];
  /** Whether any signal on this line can be a root cause (not red herring, not context). */
  readonly causal: boolean;
  readonly context: LineContext;
  /**
   * The DataPower tid as a number when context.connection is "datapower:<tid>" (and the tid is a
   * plain number): the scanner keys open connections by it, without hashing a new string per line.
   */
  readonly tid?: number | undefined;
}

export interface Warning {
  readonly id: WarningId;
  readonly text: string;
}

export interface OtherCause {
  readonly cause: CauseId;
  readonly team: Role;
  readonly count: number;
  readonly example: EvidenceLine;
}

/** The JSON shape of ../shared/spec/json-output.md (diagnosis part). */
export interface Diagnosis {
  cause: CauseId;
  team: Role;
  title: string;
  explanation: string;
  vantage: Vantage;
  redHerringPresent: boolean;
  redHerringOnly: boolean;
  evidence: EvidenceLine[];
  nextSteps: string[];
  warnings: Warning[];
  others: OtherCause[];
  /** Concrete owner of the acting role where the evidence names it (project addition, optional). */
  owner?: string;
  /** How many connections (or line groups) showed the primary cause (project addition). */
  count?: number;
  runbook?: string;
  /** Other causes the evidence fits as well, each with the check that tells them apart (causes.md, "When the evidence cannot tell"). */
  alternatives?: Alternative[];
  /** The TLS endpoint the evidence names (URL, `Connected to`, `-connect`, `host=`/`port=`, upstream...): next steps use it. */
  endpoint?: Endpoint;
  /** The TLS stacks that wrote the evidence (`java`, `go`, `schannel`...), for stack-fitting next steps and checklists. */
  stacks?: string[];
  /** The first line that decided the primary cause (project addition): what "because of" quotes. */
  keyLine?: EvidenceLine;
  /** What the evidence names about the failing connection (project addition, optional). */
  context?: DiagnosisContext;
}

export interface Alternative {
  readonly cause: CauseId;
  readonly team: Role;
  /** What tells this reading apart from the primary: a command to run (a probe the bot can run, usually). */
  readonly check: string;
}

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface DiagnosisContext {
  source?: string;
  domain?: string;
  object?: string;
  client?: string;
  server?: string;
}

/** What a matching rule's event carries (the "params" of a json-rules-engine event). */
export interface DiagnosisEventParams {
  cause: CauseId;
  team: Role;
  title: string;
  explanation: string;
  nextSteps: string[];
  alternatives?: Alternative[];
}
export interface WarningEventParams {
  warning: WarningId;
  text: string;
}
