import { z } from 'zod';
import { CAUSE_IDS, ROLES, WARNING_IDS } from '../vocabulary.js';

// Shapes of a rule-family file (rules/catalog/*.json and an ops team's own files). Everything a
// file can say is listed here; unknown keys are errors so that a typo does not silently do nothing.

const ID = /^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/;
export const SIGNAL_ID = /^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/;

/** Named capture groups a signature pattern may use; each feeds the connection's context. */
export const CAPTURE_NAMES = ['connection', 'server', 'client', 'object', 'domain', 'host', 'x509'] as const;

export const signatureSchema = z
  .object({
    id: z.string().regex(ID, 'must be lower-case words joined by - _ or .'),
    signal: z.string().regex(SIGNAL_ID, 'must be lower-case words joined by - _ or .'),
    contains: z
      .array(
        z
          .string()
          .min(3, 'a literal needs at least 3 characters')
          .max(200)
          .refine((literal) => !/[\r\n]/.test(literal), 'a literal is matched within one line: it cannot hold a line break'),
      )
      .min(1, 'give at least one literal the line must contain'),
    pattern: z.string().min(1).max(500).optional(),
    /** Like pattern, but only read for its named groups: the signature matches without it. */
    captures: z.string().min(1).max(500).optional(),
    /** Which side writes the line: server, client, or either (the same as leaving it out). */
    vantage: z.enum(['server', 'client', 'either']).optional(),
    source: z.string().regex(ID).optional(),
    role: z.enum(['cause', 'context', 'red-herring']).default('cause'),
    /** Noise that follows real traffic (health checkers, scanners, connect-and-close probes): listed, never the primary while anything else failed. */
    background: z.boolean().optional(),
    /** Says only that a handshake failed, not why: it never makes a background connection a real failure. */
    generic: z.boolean().optional(),
    note: z.string().optional(),
  })
  .strict();
export type SignatureSpec = z.infer<typeof signatureSchema>;

const diagnosisEvent = z
  .object({
    type: z.literal('diagnosis'),
    params: z
      .object({
        cause: z.enum(CAUSE_IDS as [string, ...string[]]),
        team: z.enum(ROLES),
        title: z.string().min(1).max(200),
        explanation: z.string().min(1).max(2000),
        nextSteps: z.array(z.string().min(1).max(500)).max(10),
        /** Other causes this evidence fits as well, each with the check that tells them apart. */
        alternatives: z
          .array(
            z
              .object({
                cause: z.enum(CAUSE_IDS as [string, ...string[]]),
                team: z.enum(ROLES),
                check: z.string().min(1).max(300),
              })
              .strict(),
          )
          .max(4)
          .optional(),
      })
      .strict(),
  })
  .strict();

const warningEvent = z
  .object({
    type: z.literal('warning'),
    params: z.object({ warning: z.enum(WARNING_IDS as [string, ...string[]]), text: z.string().min(1).max(500) }).strict(),
  })
  .strict();

export const ruleSchema = z
  .object({
    name: z.string().regex(ID, 'must be lower-case words joined by - _ or .'),
    priority: z.number().int().min(1).max(100),
    // The condition tree is checked by validateConditions, which knows the facts and signals.
    conditions: z.record(z.string(), z.unknown()),
    event: z.discriminatedUnion('type', [diagnosisEvent, warningEvent]),
    note: z.string().optional(),
  })
  .strict();
export type RuleSpec = z.infer<typeof ruleSchema>;

/** Next steps that fit one TLS stack (Java's keytool, Node's NODE_EXTRA_CA_CERTS...), added to a diagnosis of these causes when the evidence comes from that stack. */
export const stackStepsSchema = z
  .object({
    causes: z.array(z.enum(CAUSE_IDS as [string, ...string[]])).min(1),
    stacks: z.array(z.string().regex(ID)).min(1),
    steps: z.array(z.string().min(1).max(500)).min(1).max(4),
    note: z.string().optional(),
  })
  .strict();
export type StackStepsSpec = z.infer<typeof stackStepsSchema>;

export const familySchema = z
  .object({
    $schema: z.string().optional(),
    family: z.string().regex(ID, 'must be lower-case words joined by - _ or .'),
    description: z.string().min(1),
    signatures: z.array(signatureSchema).default([]),
    rules: z.array(ruleSchema).default([]),
    stackSteps: z.array(stackStepsSchema).default([]),
  })
  .strict();
export type FamilySpec = z.infer<typeof familySchema>;
