import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Strict for bodies (no coercion, unknown fields are an error rather than silently dropped, so a
 * typo like `include_back_of_Id` is reported); lenient for query strings and params, which are
 * always text on the wire.
 */
function makeAjv(coerceTypes: boolean | 'array'): Ajv {
  const ajv = new Ajv({ allErrors: false, removeAdditional: false, useDefaults: true, coerceTypes, strict: false });
  addFormats(ajv);
  return ajv;
}

const bodyAjv = makeAjv(false);
const textAjv = makeAjv('array');

export const validatorCompiler: FastifySchemaCompiler<any> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodyAjv : textAjv).compile(schema) as ReturnType<FastifySchemaCompiler<any>>;

/** Ajv's errors as a person reads them: `customer.email: must match format "email"`. */
export function describeValidationErrors(errors: ErrorObject[], part: string): Array<{ field: string; message: string }> {
  return errors.map((error) => {
    const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
    if (error.keyword === 'additionalProperties') {
      const extra = String((error.params as { additionalProperty: string }).additionalProperty);
      return { field: path ? `${path}.${extra}` : extra, message: 'is not a known field' };
    }
    if (error.keyword === 'required') {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      return { field: path ? `${path}.${missing}` : missing, message: 'is required' };
    }
    return { field: path || part, message: error.message ?? 'is not valid' };
  });
}
