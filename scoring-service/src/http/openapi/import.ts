/** OpenAPI paths of the bulk import endpoint (used by `cli import` while the service runs). */
const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const rowsSchema = { type: 'array', items: { type: 'object', additionalProperties: true } };

export const importSchemas: Record<string, unknown> = {
  ImportResult: {
    type: 'object',
    required: ['table', 'imported', 'records'],
    properties: {
      table: { type: 'string' },
      imported: { type: 'integer', description: 'rows written (rows repeating an id count once; the last wins)' },
      records: { type: 'integer', description: 'records read from the body' },
    },
  },
};

export const importPaths: Record<string, unknown> = {
  '/v1/admin/import/{table}': {
    post: {
      summary: '行を一括取り込み (bulk import rows; admin)',
      description:
        'NDJSON (application/x-ndjson) or a JSON array (application/json) of rows named as the table columns; at most 200 MB. ' +
        'Every row is validated; any bad row → 400 with details.issues [{line, field, message}] (line: NDJSON line or 1-based array index) and nothing is written. ' +
        'Rows are upserted by primary key, so re-importing the same ids does not duplicate.',
      parameters: [{ name: 'table', in: 'path', required: true, schema: { type: 'string', enum: ['freelancers', 'jobs', 'events', 'annotations', 'companies'] } }],
      requestBody: {
        required: true,
        content: {
          'application/x-ndjson': { schema: { type: 'string' } },
          'application/json': { schema: rowsSchema },
        },
      },
      responses: {
        '200': { description: 'imported', content: { 'application/json': { schema: { $ref: '#/components/schemas/ImportResult' } } } },
        '400': err('bad rows (every issue with its line and field); nothing imported'),
        '401': err('missing or invalid token'),
        '403': err('not an admin'),
        '404': err('unknown table'),
        '413': err('body over 200 MB'),
        '415': err('neither NDJSON nor JSON'),
      },
    },
  },
};
