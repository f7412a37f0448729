import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FilterExpr, Literal, Operand } from './ast.ts';
import { parseFilter } from './parse-filter.ts';

const prop = (name: string): Operand => ({ kind: 'property', name });
const lit = (value: Literal): Operand => ({ kind: 'literal', value });
const str = (value: string): Operand => lit({ kind: 'string', value });
const eq = (name: string, value: string): FilterExpr => ({ kind: 'compare', operator: 'eq', left: prop(name), right: str(value) });

describe('parseFilter: comparisons and literals', () => {
  for (const operator of ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const) {
    test(`${operator}`, () => {
      assert.deepEqual(parseFilter(`displayName ${operator} 'x'`), { kind: 'compare', operator, left: prop('displayName'), right: str('x') });
    });
  }

  test('strings: doubled quotes stand for one, other characters are kept as they are', () => {
    assert.deepEqual(parseFilter("displayName eq 'O''Brien'"), eq('displayName', "O'Brien"));
    assert.deepEqual(parseFilter("displayName eq ''''"), eq('displayName', "'"));
    assert.deepEqual(parseFilter("displayName eq ''"), eq('displayName', ''));
    assert.deepEqual(parseFilter("displayName eq 'a & b (c) / d, e: f %_\\ \"g\" é'"), eq('displayName', 'a & b (c) / d, e: f %_\\ "g" é'));
  });

  test('numbers: integers, negatives, decimals, exponents', () => {
    for (const [raw, value] of [
      ['0', 0],
      ['42', 42],
      ['-7', -7],
      ['3.25', 3.25],
      ['1e3', 1000],
      ['2.5E-1', 0.25],
    ] as const) {
      assert.deepEqual(parseFilter(`size eq ${raw}`), { kind: 'compare', operator: 'eq', left: prop('size'), right: lit({ kind: 'number', value }) });
    }
  });

  test('true, false and null', () => {
    assert.deepEqual(parseFilter('accountEnabled eq true'), { kind: 'compare', operator: 'eq', left: prop('accountEnabled'), right: lit({ kind: 'boolean', value: true }) });
    assert.deepEqual(parseFilter('accountEnabled ne false'), { kind: 'compare', operator: 'ne', left: prop('accountEnabled'), right: lit({ kind: 'boolean', value: false }) });
    assert.deepEqual(parseFilter('mail eq null'), { kind: 'compare', operator: 'eq', left: prop('mail'), right: lit({ kind: 'null' }) });
  });

  test('bare GUIDs, lower-cased', () => {
    assert.deepEqual(parseFilter('id eq 6FD2C87F-B296-42F0-B197-1E91E994B900'), {
      kind: 'compare',
      operator: 'eq',
      left: prop('id'),
      right: lit({ kind: 'guid', value: '6fd2c87f-b296-42f0-b197-1e91e994b900' }),
    });
    // a GUID that starts with letters is not an identifier
    assert.deepEqual(parseFilter('id eq abcdef12-b296-42f0-b197-1e91e994b900').kind, 'compare');
  });

  test('DateTimeOffset literals with Z, offsets, fractions, and without seconds', () => {
    for (const value of ['2021-01-01T00:00:00Z', '2021-06-30T23:59:59.1234567+02:00', '2024-02-29T12:00-05:30', '2021-01-01T00:00:00.5Z']) {
      assert.deepEqual(parseFilter(`createdDateTime ge ${value}`), {
        kind: 'compare',
        operator: 'ge',
        left: prop('createdDateTime'),
        right: lit({ kind: 'datetime', value }),
      });
    }
  });

  test('whitespace: none needed around punctuation, any amount between words', () => {
    assert.deepEqual(parseFilter("  displayName   eq\t'x'  "), eq('displayName', 'x'));
    assert.deepEqual(parseFilter("(displayName eq 'x')"), eq('displayName', 'x'));
    assert.deepEqual(parseFilter("startswith( displayName ,  'x' )"), parseFilter("startswith(displayName,'x')"));
    assert.deepEqual(parseFilter("userType in('a','b')"), parseFilter("userType in ( 'a' , 'b' )"));
  });

  test('a literal may stand on the left (validation decides)', () => {
    assert.deepEqual(parseFilter("'x' eq displayName"), { kind: 'compare', operator: 'eq', left: str('x'), right: prop('displayName') });
  });

  test('two properties compared (validation rejects it)', () => {
    assert.deepEqual(parseFilter('givenName eq surname'), { kind: 'compare', operator: 'eq', left: prop('givenName'), right: prop('surname') });
  });

  test('property names are kept as written', () => {
    assert.deepEqual(parseFilter("DISPLAYNAME eq 'x'"), eq('DISPLAYNAME', 'x'));
    assert.deepEqual(parseFilter("extension_1a2b_costCenter eq 'x'"), eq('extension_1a2b_costCenter', 'x'));
  });
});

describe('parseFilter: in, functions', () => {
  test('in with a literal list', () => {
    assert.deepEqual(parseFilter("userType in ('Member', 'Guest')"), {
      kind: 'in',
      operand: prop('userType'),
      values: [
        { kind: 'string', value: 'Member' },
        { kind: 'string', value: 'Guest' },
      ],
    });
    assert.deepEqual(parseFilter("id in (6fd2c87f-b296-42f0-b197-1e91e994b900, 'x', 1, null)"), {
      kind: 'in',
      operand: prop('id'),
      values: [{ kind: 'guid', value: '6fd2c87f-b296-42f0-b197-1e91e994b900' }, { kind: 'string', value: 'x' }, { kind: 'number', value: 1 }, { kind: 'null' }],
    });
  });

  test('startswith and endswith, function names in any case', () => {
    for (const name of ['startswith', 'startsWith', 'STARTSWITH', 'StartsWith']) {
      assert.deepEqual(parseFilter(`${name}(displayName,'Jo')`), { kind: 'call', function: 'startswith', target: prop('displayName'), value: str('Jo') });
    }
    for (const name of ['endswith', 'endsWith', 'ENDSWITH']) {
      assert.deepEqual(parseFilter(`${name}(mail,'@contoso.com')`), { kind: 'call', function: 'endswith', target: prop('mail'), value: str('@contoso.com') });
    }
  });

  test('function arguments as written (validation checks them)', () => {
    assert.deepEqual(parseFilter("startswith('x', displayName)"), { kind: 'call', function: 'startswith', target: str('x'), value: prop('displayName') });
  });
});

describe('parseFilter: boolean operators and precedence', () => {
  const a = eq('a', '1');
  const b = eq('b', '2');
  const c = eq('c', '3');

  test('and binds tighter than or', () => {
    assert.deepEqual(parseFilter("a eq '1' or b eq '2' and c eq '3'"), { kind: 'or', left: a, right: { kind: 'and', left: b, right: c } });
    assert.deepEqual(parseFilter("a eq '1' and b eq '2' or c eq '3'"), { kind: 'or', left: { kind: 'and', left: a, right: b }, right: c });
  });

  test('and / or are left-associative', () => {
    assert.deepEqual(parseFilter("a eq '1' and b eq '2' and c eq '3'"), { kind: 'and', left: { kind: 'and', left: a, right: b }, right: c });
    assert.deepEqual(parseFilter("a eq '1' or b eq '2' or c eq '3'"), { kind: 'or', left: { kind: 'or', left: a, right: b }, right: c });
  });

  test('parentheses override precedence, and may nest', () => {
    assert.deepEqual(parseFilter("(a eq '1' or b eq '2') and c eq '3'"), { kind: 'and', left: { kind: 'or', left: a, right: b }, right: c });
    assert.deepEqual(parseFilter("((a eq '1'))"), a);
  });

  test('not, with and without a space before the parenthesis', () => {
    assert.deepEqual(parseFilter("not(a eq '1')"), { kind: 'not', operand: a });
    assert.deepEqual(parseFilter("not (a eq '1')"), { kind: 'not', operand: a });
  });

  test('not binds tighter than and / or', () => {
    assert.deepEqual(parseFilter("not(a eq '1') and b eq '2'"), { kind: 'and', left: { kind: 'not', operand: a }, right: b });
    assert.deepEqual(parseFilter("b eq '2' or not(a eq '1')"), { kind: 'or', left: b, right: { kind: 'not', operand: a } });
    assert.deepEqual(parseFilter("not(a eq '1' or b eq '2')"), { kind: 'not', operand: { kind: 'or', left: a, right: b } });
  });

  test('not before a function call, a lambda, or another not', () => {
    assert.deepEqual(parseFilter("not startsWith(a,'x')"), { kind: 'not', operand: { kind: 'call', function: 'startswith', target: prop('a'), value: str('x') } });
    assert.equal((parseFilter("not otherMails/any(m:m eq 'x')") as { operand: FilterExpr }).operand.kind, 'lambda');
    assert.deepEqual(parseFilter("not not(a eq '1')"), { kind: 'not', operand: { kind: 'not', operand: a } });
  });
});

describe('parseFilter: lambdas and /$count', () => {
  test('any over a string collection', () => {
    assert.deepEqual(parseFilter("otherMails/any(x:x eq 'a@b.com')"), {
      kind: 'lambda',
      quantifier: 'any',
      collection: 'otherMails',
      variable: 'x',
      predicate: { kind: 'compare', operator: 'eq', left: { kind: 'variable', name: 'x', field: null }, right: str('a@b.com') },
    });
  });

  test('any over objects, with two fields joined by and', () => {
    assert.deepEqual(parseFilter("identities/any(c:c/issuerAssignedId eq 'j@x.com' and c/issuer eq 'contoso.com')"), {
      kind: 'lambda',
      quantifier: 'any',
      collection: 'identities',
      variable: 'c',
      predicate: {
        kind: 'and',
        left: { kind: 'compare', operator: 'eq', left: { kind: 'variable', name: 'c', field: 'issuerAssignedId' }, right: str('j@x.com') },
        right: { kind: 'compare', operator: 'eq', left: { kind: 'variable', name: 'c', field: 'issuer' }, right: str('contoso.com') },
      },
    });
  });

  test('a GUID field (assignedLicenses)', () => {
    assert.deepEqual(parseFilter('assignedLicenses/any(x:x/skuId eq 6fd2c87f-b296-42f0-b197-1e91e994b900)'), {
      kind: 'lambda',
      quantifier: 'any',
      collection: 'assignedLicenses',
      variable: 'x',
      predicate: {
        kind: 'compare',
        operator: 'eq',
        left: { kind: 'variable', name: 'x', field: 'skuId' },
        right: lit({ kind: 'guid', value: '6fd2c87f-b296-42f0-b197-1e91e994b900' }),
      },
    });
  });

  test('a function on the variable, spaces after the colon', () => {
    assert.deepEqual(parseFilter("proxyAddresses/any(p: endsWith(p, 'x.com'))"), {
      kind: 'lambda',
      quantifier: 'any',
      collection: 'proxyAddresses',
      variable: 'p',
      predicate: { kind: 'call', function: 'endswith', target: { kind: 'variable', name: 'p', field: null }, value: str('x.com') },
    });
  });

  test('all, in inside a lambda, and a lambda inside and', () => {
    const all = parseFilter("groupTypes/all(g:g in ('Unified', 'DynamicMembership'))");
    assert.equal(all.kind === 'lambda' && all.quantifier, 'all');
    assert.equal(all.kind === 'lambda' && all.predicate.kind, 'in');
    const combined = parseFilter("accountEnabled eq true and otherMails/any(m:startswith(m,'a'))");
    assert.equal(combined.kind === 'and' && combined.right.kind, 'lambda');
  });

  test('the variable shadows a property of the same name only inside its lambda', () => {
    const expr = parseFilter("mail eq 'a' and otherMails/any(mail:mail eq 'b')");
    assert.deepEqual(expr.kind === 'and' && expr.left, eq('mail', 'a'));
    assert.deepEqual(expr.kind === 'and' && expr.right.kind === 'lambda' && expr.right.predicate, {
      kind: 'compare',
      operator: 'eq',
      left: { kind: 'variable', name: 'mail', field: null },
      right: str('b'),
    });
  });

  test('/$count compared with a number', () => {
    assert.deepEqual(parseFilter('otherMails/$count eq 0'), { kind: 'compare', operator: 'eq', left: { kind: 'count', property: 'otherMails' }, right: lit({ kind: 'number', value: 0 }) });
    assert.deepEqual(parseFilter('assignedLicenses/$count ne 0'), {
      kind: 'compare',
      operator: 'ne',
      left: { kind: 'count', property: 'assignedLicenses' },
      right: lit({ kind: 'number', value: 0 }),
    });
  });
});

describe('parseFilter: malformed input is a badRequest that names the problem and where', () => {
  const rejects = (text: string, ...fragments: (string | RegExp)[]) => {
    assert.throws(
      () => parseFilter(text),
      (error: any) => {
        assert.equal(error.kind, 'badRequest', error.message);
        assert.equal(error.code, 'odata.syntax');
        for (const fragment of fragments) {
          if (typeof fragment === 'string') assert.ok(error.message.includes(fragment), `'${error.message}' should include '${fragment}'`);
          else assert.match(error.message, fragment);
        }
        return true;
      },
    );
  };

  test('empty filter', () => {
    for (const text of ['', '   ']) assert.throws(() => parseFilter(text), { kind: 'badRequest', code: 'odata.emptyFilter', message: /empty/ });
  });

  test('an invalid character, in Graph wording', () => {
    rejects('displayName eq &x', "Syntax error: character '&' is not valid at position 15 in 'displayName eq &x'.");
    rejects("displayName == 'x'", "character '=' is not valid at position 12");
    rejects("displayName eq 'x'; drop table users", "character ';' is not valid at position 18");
    rejects("displayName eq @p", "character '@' is not valid");
    rejects("microsoft.graph.user/displayName eq 'x'", "character '.' is not valid at position 9");
  });

  test('unterminated string', () => {
    rejects("displayName eq 'x", 'unterminated string literal at position 15');
    rejects("displayName eq 'it''s", 'unterminated string literal at position 15');
  });

  test('missing operands', () => {
    rejects('displayName eq', "expected a property or a literal but found the end of the expression at position 14");
    rejects("eq 'x'", "found the operator 'eq' at position 0");
    rejects('displayName', 'expected a comparison operator', 'found the end of the expression at position 11');
    rejects("displayName 'x'", 'expected a comparison operator', "found the string 'x' at position 12");
    rejects("displayName eq eq 'x'", "found the operator 'eq' at position 15");
  });

  test('unknown operators', () => {
    rejects("displayName like 'x%'", "'like' is not a supported operator at position 12", 'eq, ne, gt, ge, lt, le and in');
    rejects("displayName has 'x'", "'has' is not a supported operator");
    rejects("displayName EQ 'x'", "'EQ' is not a supported operator", "write 'eq'");
  });

  test('dangling and / or / not', () => {
    rejects("displayName eq 'x' and", "expected an expression after 'and' but found the end of the expression at position 22");
    rejects("displayName eq 'x' or ", "expected an expression after 'or'");
    rejects('not', "expected an expression after 'not'");
    rejects("(displayName eq 'x' and)", "expected an expression after 'and' but found ')' at position 23");
    rejects("and displayName eq 'x'", "found the operator 'and' at position 0");
  });

  test('keywords are case-sensitive', () => {
    rejects("a eq '1' AND b eq '2'", "found 'AND' at position 9", "OData keywords are lower-case: write 'and'");
    rejects("a eq '1' Or b eq '2'", "found 'Or'", "write 'or'");
    rejects('accountEnabled eq TRUE', "'TRUE' is not a valid literal at position 18", "write 'true'");
    rejects('mail eq Null', "'Null' is not a valid literal", "write 'null'");
    rejects("otherMails/ANY(x:x eq 'a')", "'ANY' is not valid at position 11", "'any' and 'all'");
  });

  test('unbalanced parentheses', () => {
    rejects("(displayName eq 'x'", "expected ')' but found the end of the expression at position 19", "The '(' at position 0 is not closed.");
    rejects("((displayName eq 'x')", "The '(' at position 0 is not closed.");
    rejects("displayName eq 'x')", "unexpected ')' without a matching '(' at position 18");
    rejects('()', "expected a property or a literal but found ')' at position 1");
  });

  test('not directly before a comparison (not binds tighter than eq)', () => {
    rejects("not displayName eq 'x'", "'not' must be followed by a parenthesised expression", 'at position 0', 'Write not(... eq ...).');
    rejects("not userType in ('Guest')", "'not' must be followed by");
  });

  test('malformed lambdas', () => {
    rejects("otherMails/any(x eq 'a')", "expected ':' but found 'eq' at position 17");
    rejects("otherMails/any(x:x eq 'a'", "expected ')' but found the end of the expression", "The lambda's '(' at position 14 is not closed.");
    rejects("otherMails/any(:x eq 'a')", "expected a lambda variable name after 'any(' but found ':' at position 15");
    rejects("otherMails/any(x:)", "expected an expression after 'any(x:' but found ')'");
    rejects("otherMails/any x:x eq 'a'", "expected '(' after 'any' but found 'x'");
    rejects("otherMails/ eq 'a'", "expected '$count', 'any' or 'all' after 'otherMails/' but found 'eq'");
    rejects("identities/any(x:x/ eq 'a')", "expected a field name after 'x/' but found 'eq'");
    rejects("identities/any(x:identities/any(x:x eq 'a'))", "the lambda variable 'x' is already in use");
    rejects("otherMails/any(and:and eq 'a')", "expected a lambda variable name after 'any(' but found 'and'");
    rejects("displayName eq otherMails/any(x:x eq 'a')", "the right side of 'eq' cannot be a lambda");
  });

  test('malformed function calls', () => {
    rejects('startswith(displayName)', "expected ',' but found ')'", 'startswith takes exactly two arguments.');
    rejects("startswith(displayName,'a','b')", "expected ')' but found ','");
    rejects("startswith(displayName,'a'", "expected ')' but found the end of the expression");
  });

  test('malformed in lists', () => {
    rejects("userType in 'Guest'", "expected '(' but found the string 'Guest'", "'in' takes a parenthesised list");
    rejects('userType in ()', "expected a literal in the 'in' list but found ')'");
    rejects("userType in ('a' 'b')", "expected ',' but found the string 'b'");
    rejects("userType in ('a', userType)", "expected a literal in the 'in' list but found 'userType'");
    rejects("userType in ('a',)", "expected a literal in the 'in' list but found ')'");
  });

  test('malformed literals', () => {
    rejects('createdDateTime ge 2021-01-01', "'2021-01-01' is not a valid DateTimeOffset literal at position 19", 'such as 2021-01-01T00:00:00Z');
    rejects('createdDateTime ge 2021-01-01T00:00:00', "'2021-01-01T00:00:00' is not a valid DateTimeOffset literal");
    rejects('createdDateTime ge 2021-13-01T00:00:00Z', "'2021-13-01T00:00:00Z' is not a valid DateTimeOffset literal");
    rejects('createdDateTime ge 2021-02-29T00:00:00Z', "'2021-02-29T00:00:00Z' is not a valid DateTimeOffset literal");
    rejects('createdDateTime ge 2021-01-01T24:00:00Z', 'not a valid DateTimeOffset literal');
    rejects('id eq 6fd2c87f-b296-42f0-b197-1e91e994b90', "'6fd2c87f-b296-42f0-b197-1e91e994b90' is not a valid number or GUID literal at position 6");
    rejects('id eq 6fd2c87f-b296-42f0-b197-1e91e994b900x', "is not a valid number or GUID literal");
    rejects('id eq abcdef12-b296-42f0-b197', "'abcdef12-b296-42f0-b197' is not a valid identifier or GUID literal");
    rejects('size eq 12abc', "'12abc' is not a valid number or GUID literal");
    rejects('size eq 1.', "character '.' is not valid at position 9");
  });

  test('$ segments other than $count', () => {
    rejects('otherMails/$filter eq 0', "'$filter' is not valid at position 11", "'$count'");
    rejects('$count eq 0', "expected a property or a literal but found '$count' at position 0");
  });
});

describe('parseFilter: valid OData outside Graph\'s subset is unsupportedQuery', () => {
  test('other functions', () => {
    for (const text of ["contains(displayName,'x')", "substringof('x',displayName)", "tolower(displayName) eq 'x'"]) {
      assert.throws(() => parseFilter(text), { kind: 'unsupportedQuery', message: /function '\w+' is not supported at position 0.*startsWith and endsWith/ });
    }
  });

  test('navigation and complex property paths', () => {
    assert.throws(() => parseFilter("manager/displayName eq 'x'"), { kind: 'unsupportedQuery', message: /property path 'manager\/displayName' is not supported at position 0/ });
    assert.throws(() => parseFilter("identities/any(x:x/a/b eq 'v')"), { kind: 'unsupportedQuery', message: /deeper than 'x\/a'/ });
  });

  test('any() without a variable', () => {
    assert.throws(() => parseFilter('otherMails/any()'), { kind: 'unsupportedQuery', message: /'any\(\)' without a lambda variable.*Write otherMails\/any\(x: \.\.\.\)/ });
  });
});
