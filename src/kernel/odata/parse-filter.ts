import type { ComparisonOperator, FilterExpr, FunctionName, LambdaExpr, Literal, Operand } from './ast.ts';
import { type Token, tokenize } from './lexer.ts';
import { ODATA_LIMITS } from './limits.ts';
import { ODataErrors } from './odata.errors.ts';

const LIMITS = ODATA_LIMITS.filter;

const COMPARISON_OPERATORS: ReadonlySet<string> = new Set<ComparisonOperator>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS: ReadonlySet<string> = new Set<FunctionName>(['startswith', 'endswith']);
/** Words that are operators (or OData operators we do not support) and so never name a property. */
const RESERVED = new Set(['and', 'or', 'not', 'in', 'eq', 'ne', 'gt', 'ge', 'lt', 'le', 'has', 'add', 'sub', 'mul', 'div', 'mod']);
/** Keywords whose wrong-case spelling (`AND`, `Eq`) earns a hint in the error. */
const KEYWORDS = new Set(['and', 'or', 'not', 'eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in', 'any', 'all', 'true', 'false', 'null']);

/**
 * Parses Graph's $filter subset (already URL-decoded) into a FilterExpr. Precedence, tightest
 * first: `not`, comparisons (`eq ne gt ge lt le in`), `and`, `or`. Keywords are case-sensitive as
 * OData says; only function names are matched case-insensitively, because Graph's own docs write
 * `startsWith`. Throws badRequest for malformed text, unsupportedQuery for valid OData outside Graph's subset.
 * The text's length, nesting depth, node count and `in` lists are held to ODATA_LIMITS: the length
 * before anything is tokenized, the rest as the parser goes, so its recursion stays bounded.
 */
export function parseFilter(text: string): FilterExpr {
  if (text.length > LIMITS.maxLength) throw ODataErrors.tooLong('$filter', LIMITS.maxLength, text.length);
  if (text.trim() === '') throw ODataErrors.emptyFilter();
  return new FilterParser(text).parse();
}

class FilterParser {
  readonly #text: string;
  readonly #tokens: Token[];
  #index = 0;
  /** lambda variables in scope, innermost last */
  readonly #variables: string[] = [];
  /** open parentheses, `not`s and lambdas around the cursor */
  #depth = 0;
  /** expression nodes built so far */
  #nodes = 0;

  constructor(text: string) {
    this.#text = text;
    this.#tokens = tokenize(text);
  }

  parse(): FilterExpr {
    const expr = this.#or();
    const token = this.#peek();
    if (token.type !== 'end') {
      if (token.type === 'punctuation' && token.value === ')') this.#fail(token, "unexpected ')' without a matching '('");
      this.#fail(token, `expected 'and', 'or' or the end of the expression but found ${describe(token)}`, caseHint(token));
    }
    return expr;
  }

  #or(): FilterExpr {
    let left = this.#and();
    while (this.#isWord('or')) {
      this.#next();
      left = this.#node({ kind: 'or', left, right: this.#operandOf('or', () => this.#and()) });
    }
    return left;
  }

  #and(): FilterExpr {
    let left = this.#unary();
    while (this.#isWord('and')) {
      this.#next();
      left = this.#node({ kind: 'and', left, right: this.#operandOf('and', () => this.#unary()) });
    }
    return left;
  }

  /** `not` binds tighter than comparisons, so it takes a parenthesised expression, a call, a lambda or another `not`. */
  #unary(): FilterExpr {
    if (!this.#isWord('not')) return this.#comparison();
    const notToken = this.#next();
    const parenthesised = this.#isPunctuation('(');
    const operand = this.#nested(notToken, () => this.#operandOf('not', () => this.#unary()));
    if ((operand.kind === 'compare' || operand.kind === 'in') && !parenthesised) {
      this.#fail(notToken, "'not' must be followed by a parenthesised expression, a function call or a lambda", "Write not(... eq ...).");
    }
    return this.#node({ kind: 'not', operand });
  }

  #comparison(): FilterExpr {
    const token = this.#peek();
    if (token.type === 'punctuation' && token.value === '(') {
      this.#next();
      const inner = this.#nested(token, () => this.#or());
      this.#expectPunctuation(')', `The '(' at position ${token.position} is not closed.`);
      return inner;
    }
    if (token.type === 'identifier' && this.#isPunctuation('(', 1)) return this.#call();
    const left = this.#operand();
    if (left.kind === 'lambda') return left;
    const operator = this.#peek();
    if (operator.type === 'identifier' && COMPARISON_OPERATORS.has(operator.value)) {
      this.#next();
      const right = this.#operand();
      if (right.kind === 'lambda') this.#fail(operator, `the right side of '${operator.value}' cannot be a lambda`);
      return this.#node({ kind: 'compare', operator: operator.value as ComparisonOperator, left, right });
    }
    if (operator.type === 'identifier' && operator.value === 'in') {
      this.#next();
      return this.#node({ kind: 'in', operand: left, values: this.#literalList() });
    }
    if (operator.type === 'identifier') {
      this.#fail(operator, `'${operator.value}' is not a supported operator`, caseHint(operator) ?? 'The comparison operators are eq, ne, gt, ge, lt, le and in.');
    }
    this.#fail(operator, `expected a comparison operator (eq, ne, gt, ge, lt, le or in) but found ${describe(operator)}`);
  }

  /** `startswith(target, 'value')` / `endswith(...)`; the name is matched case-insensitively. */
  #call(): FilterExpr {
    const nameToken = this.#next() as Extract<Token, { type: 'identifier' }>;
    const name = nameToken.value.toLowerCase();
    if (!FUNCTIONS.has(name)) {
      throw ODataErrors.unsupportedSyntax(`the function '${nameToken.value}' is not supported`, nameToken.position, this.#text, 'The supported functions are startsWith and endsWith.');
    }
    this.#next();
    const target = this.#operand();
    this.#expectPunctuation(',', `${nameToken.value} takes exactly two arguments.`);
    const value = this.#operand();
    this.#expectPunctuation(')', `${nameToken.value} takes exactly two arguments.`);
    if (target.kind === 'lambda' || value.kind === 'lambda') this.#fail(nameToken, `the arguments of ${nameToken.value} cannot be lambdas`);
    return this.#node({ kind: 'call', function: name as FunctionName, target, value });
  }

  /** A literal, or a path: `prop`, `prop/$count`, `prop/any(...)`, `x` or `x/field` for a lambda variable `x`. */
  #operand(): Operand | LambdaExpr {
    const token = this.#peek();
    const literal = this.#literal();
    if (literal) return { kind: 'literal', value: literal };
    if (token.type !== 'identifier') this.#fail(token, `expected a property or a literal but found ${describe(token)}`);
    if (RESERVED.has(token.value)) this.#fail(token, `expected a property or a literal but found the operator '${token.value}'`);
    if (/^(true|false|null)$/i.test(token.value)) this.#fail(token, `'${token.value}' is not a valid literal`, caseHint(token));
    this.#next();
    if (this.#variables.includes(token.value)) return this.#variablePath(token.value);
    if (!this.#isPunctuation('/')) return { kind: 'property', name: token.value };
    this.#next();
    const segment = this.#next();
    if (segment.type === 'count') return { kind: 'count', property: token.value };
    if (segment.type === 'identifier' && (segment.value === 'any' || segment.value === 'all')) {
      if (!this.#isPunctuation('(')) this.#fail(this.#peek(), `expected '(' after '${segment.value}' but found ${describe(this.#peek())}`);
      return this.#lambda(token.value, segment.value);
    }
    if (segment.type === 'identifier' && !RESERVED.has(segment.value)) {
      if (/^(any|all)$/i.test(segment.value)) this.#fail(segment, `'${segment.value}' is not valid`, "The lambda operators are 'any' and 'all'.");
      throw ODataErrors.unsupportedSyntax(
        `the property path '${token.value}/${segment.value}' is not supported`,
        token.position,
        this.#text,
        "Only lambdas (any, all), '/$count' and lambda variables take a '/'.",
      );
    }
    this.#fail(segment, `expected '$count', 'any' or 'all' after '${token.value}/' but found ${describe(segment)}`);
  }

  #variablePath(variable: string): Operand {
    if (!this.#isPunctuation('/')) return { kind: 'variable', name: variable, field: null };
    this.#next();
    const field = this.#next();
    if (field.type !== 'identifier' || RESERVED.has(field.value)) this.#fail(field, `expected a field name after '${variable}/' but found ${describe(field)}`);
    if (this.#isPunctuation('/')) {
      throw ODataErrors.unsupportedSyntax(`paths deeper than '${variable}/${field.value}' are not supported`, field.position, this.#text);
    }
    return { kind: 'variable', name: variable, field: field.value };
  }

  #lambda(collection: string, quantifier: 'any' | 'all'): LambdaExpr {
    const open = this.#next();
    const variable = this.#next();
    if (variable.type === 'punctuation' && variable.value === ')') {
      throw ODataErrors.unsupportedSyntax(`'${quantifier}()' without a lambda variable is not supported`, open.position, this.#text, `Write ${collection}/${quantifier}(x: ...).`);
    }
    if (variable.type !== 'identifier' || RESERVED.has(variable.value)) {
      this.#fail(variable, `expected a lambda variable name after '${quantifier}(' but found ${describe(variable)}`);
    }
    if (this.#variables.includes(variable.value)) this.#fail(variable, `the lambda variable '${variable.value}' is already in use`);
    this.#expectPunctuation(':', `A lambda is written ${collection}/${quantifier}(${variable.value}: ...).`);
    this.#variables.push(variable.value);
    const predicate = this.#nested(open, () => this.#operandOf(`${quantifier}(${variable.value}:`, () => this.#or()));
    this.#variables.pop();
    this.#expectPunctuation(')', `The lambda's '(' at position ${open.position} is not closed.`);
    return this.#node({ kind: 'lambda', quantifier, collection, variable: variable.value, predicate });
  }

  /** `('a', 'b', ...)` after `in`. */
  #literalList(): Literal[] {
    this.#expectPunctuation('(', "'in' takes a parenthesised list of literals, e.g. in ('a', 'b').");
    const values: Literal[] = [];
    for (;;) {
      const token = this.#peek();
      const literal = this.#literal();
      if (!literal) this.#fail(token, `expected a literal in the 'in' list but found ${describe(token)}`);
      if (values.length === LIMITS.maxInValues) throw ODataErrors.tooManyInValues(LIMITS.maxInValues);
      values.push(literal);
      if (this.#isPunctuation(')')) break;
      this.#expectPunctuation(',', "Separate the literals of an 'in' list with ',' and close it with ')'.");
    }
    this.#next();
    return values;
  }

  /** Consumes and returns the literal at the cursor, or returns null without consuming anything. */
  #literal(): Literal | null {
    const token = this.#peek();
    let literal: Literal | null = null;
    if (token.type === 'string') literal = { kind: 'string', value: token.value };
    else if (token.type === 'number') literal = { kind: 'number', value: token.value };
    else if (token.type === 'guid') literal = { kind: 'guid', value: token.value };
    else if (token.type === 'datetime') literal = { kind: 'datetime', value: token.value };
    else if (token.type === 'identifier' && (token.value === 'true' || token.value === 'false')) literal = { kind: 'boolean', value: token.value === 'true' };
    else if (token.type === 'identifier' && token.value === 'null') literal = { kind: 'null' };
    if (literal) this.#next();
    return literal;
  }

  /** Counts a node of the tree against the node limit. */
  #node<T extends FilterExpr>(expr: T): T {
    if (++this.#nodes > LIMITS.maxNodes) throw ODataErrors.tooManyNodes(LIMITS.maxNodes);
    return expr;
  }

  /** Parses one level deeper (inside `(`, `not` or a lambda), refusing to pass the depth limit. */
  #nested<T>(opener: Token, parse: () => T): T {
    if (this.#depth === LIMITS.maxDepth) throw ODataErrors.tooDeep(LIMITS.maxDepth, opener.position);
    this.#depth++;
    try {
      return parse();
    } finally {
      this.#depth--;
    }
  }

  /** Parses the operand an operator needs, with an error that names the operator when there is none. */
  #operandOf(operator: string, parse: () => FilterExpr): FilterExpr {
    const token = this.#peek();
    if (token.type === 'end' || (token.type === 'punctuation' && token.value === ')')) {
      this.#fail(token, `expected an expression after '${operator}' but found ${describe(token)}`);
    }
    return parse();
  }

  #expectPunctuation(value: ')' | '(' | ',' | ':', hint: string): void {
    const token = this.#peek();
    if (token.type !== 'punctuation' || token.value !== value) this.#fail(token, `expected '${value}' but found ${describe(token)}`, hint);
    this.#next();
  }

  #isWord(word: string): boolean {
    const token = this.#peek();
    return token.type === 'identifier' && token.value === word;
  }

  #isPunctuation(value: string, offset = 0): boolean {
    const token = this.#peekAt(offset);
    return token.type === 'punctuation' && token.value === value;
  }

  #peek(): Token {
    return this.#peekAt(0);
  }

  #peekAt(offset: number): Token {
    // The token list always ends with `end`, so reading past it returns `end`.
    return this.#tokens[Math.min(this.#index + offset, this.#tokens.length - 1)]!;
  }

  #next(): Token {
    const token = this.#peek();
    if (this.#index < this.#tokens.length - 1) this.#index++;
    return token;
  }

  #fail(token: Token, problem: string, hint?: string): never {
    throw ODataErrors.syntax(problem, token.position, this.#text, hint);
  }
}

function describe(token: Token): string {
  switch (token.type) {
    case 'end':
      return 'the end of the expression';
    case 'string':
      return `the string '${token.value.replaceAll("'", "''")}'`;
    case 'number':
      return `the number ${token.raw}`;
    case 'count':
      return "'$count'";
    default:
      return `'${token.value}'`;
  }
}

/** `AND`, `Eq`, ...: OData keywords are lower-case, which is the likeliest cause of the error. */
function caseHint(token: Token): string | undefined {
  if (token.type !== 'identifier' || token.value === token.value.toLowerCase()) return undefined;
  const lower = token.value.toLowerCase();
  return KEYWORDS.has(lower) ? `OData keywords are lower-case: write '${lower}'.` : undefined;
}
