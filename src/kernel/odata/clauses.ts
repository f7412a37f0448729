import type { CallExpr, CompareExpr, InExpr, Literal, Operand, PropertyOperand, SubjectOperand, VariableOperand } from './ast.ts';
import { ODataErrors } from './odata.errors.ts';

/**
 * The shapes Graph accepts for each clause: a subject (property, lambda variable, `/$count`) on the
 * left and literals on the right. Validation and SQL translation both take clauses apart through
 * these, so they agree on what is accepted.
 */

/** `subject op literal`; anything else (two properties, two literals, literal first) is unsupported. */
export function comparisonParts(expr: CompareExpr): { subject: SubjectOperand; literal: Literal } {
  const { left, right, operator } = expr;
  if (left.kind !== 'literal' && right.kind === 'literal') return { subject: left, literal: right.value };
  if (left.kind !== 'literal') {
    throw ODataErrors.unsupportedFilter(`comparing two properties ('${operandText(left)}' ${operator} '${operandText(right)}') is not supported`);
  }
  if (right.kind === 'literal') throw ODataErrors.unsupportedFilter(`the comparison '${operator}' has no property, only literals`);
  throw ODataErrors.unsupportedFilter(`write the property on the left of '${operator}' ('${operandText(right)} ${operator} ...')`);
}

/** `startswith(subject, 'text')`: the subject is a property or lambda variable, the value a string literal. */
export function callParts(expr: CallExpr): { subject: PropertyOperand | VariableOperand; value: string } {
  const { target, value } = expr;
  const name = expr.function === 'startswith' ? 'startsWith' : 'endsWith';
  if (target.kind !== 'property' && target.kind !== 'variable') {
    throw ODataErrors.unsupportedFilter(`the first argument of ${name} must be a property, not ${operandText(target)}`);
  }
  if (value.kind !== 'literal') throw ODataErrors.unsupportedFilter(`the second argument of ${name} must be a string literal, not '${operandText(value)}'`);
  if (value.value.kind !== 'string') throw ODataErrors.incompatibleTypes(operandText(target), 'Edm.String', edmType(value.value), name);
  return { subject: target, value: value.value.value };
}

/** `subject in (...)`: the subject is a property or lambda variable. */
export function inSubject(expr: InExpr): PropertyOperand | VariableOperand {
  const { operand } = expr;
  if (operand.kind === 'property' || operand.kind === 'variable') return operand;
  throw ODataErrors.unsupportedFilter(`the left side of 'in' must be a property, not ${operandText(operand)}`);
}

/** An operand as a user would write it, for error messages. */
export function operandText(operand: Operand): string {
  switch (operand.kind) {
    case 'property':
      return operand.name;
    case 'variable':
      return operand.field === null ? operand.name : `${operand.name}/${operand.field}`;
    case 'count':
      return `${operand.property}/$count`;
    case 'literal':
      return literalText(operand.value);
  }
}

function literalText(literal: Literal): string {
  switch (literal.kind) {
    case 'null':
      return 'null';
    case 'string':
      return `'${literal.value.replaceAll("'", "''")}'`;
    default:
      return String(literal.value);
  }
}

/** The EDM type name of a literal, as Graph's type-mismatch errors print it. */
export function edmType(literal: Literal): string {
  switch (literal.kind) {
    case 'string':
      return 'Edm.String';
    case 'number':
      return Number.isInteger(literal.value) ? 'Edm.Int32' : 'Edm.Double';
    case 'boolean':
      return 'Edm.Boolean';
    case 'guid':
      return 'Edm.Guid';
    case 'datetime':
      return 'Edm.DateTimeOffset';
    case 'null':
      return 'null';
  }
}
