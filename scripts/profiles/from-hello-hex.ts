// Turns a ClientHello published as hex (a record, "16 03 01 ...") into the profile fields of
// rules/catalog/client-profiles.json. Hellos without supported_versions do not say their lowest
// version: give the versions the publisher lists.
// Run: npx tsx scripts/profiles/from-hello-hex.ts HEX [TLSv1.2,TLSv1.1,TLSv1]
import { readClientHello } from '../../bot/probe/hello-parse.js';
import { helloFields } from './to-profile.js';

const [hex, versions] = process.argv.slice(2);
const bytes = Buffer.from((hex ?? '').replace(/[^0-9a-f]/gi, ''), 'hex');
const reading = readClientHello(bytes);
if (reading.state !== 'hello') throw new Error(`not a ClientHello: ${reading.state}`);
process.stdout.write(`${JSON.stringify(helloFields(reading.hello, reading.hello.recordVersion ?? 0x0301, versions?.split(',')), null, 2)}\n`);
