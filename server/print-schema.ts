import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import { schema } from './schema.ts';

export const schemaFile = path.join(import.meta.dirname, '..', 'schema', 'schema.graphql');

export const printContract = () => `${printSchema(schema).trim()}\n`;

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(schemaFile, printContract());
  console.log(`wrote ${path.relative(process.cwd(), schemaFile)}`);
}
