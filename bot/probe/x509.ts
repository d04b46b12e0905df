// The one place that loads @peculiar/x509: its dependency tsyringe needs the Reflect metadata
// polyfill evaluated first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

export { x509 };
