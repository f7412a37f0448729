import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSearch } from './parse-search.ts';

const term = (property: string | null, text: string) => ({ kind: 'term', property, term: text }) as const;

describe('parseSearch', () => {
  test('one clause with a property', () => {
    assert.deepEqual(parseSearch('"displayName:john"'), term('displayName', 'john'));
  });

  test('a bare term, and a term with spaces or a colon inside', () => {
    assert.deepEqual(parseSearch('"john"'), term(null, 'john'));
    assert.deepEqual(parseSearch('"displayName: John Doe "'), term('displayName', 'John Doe'));
    assert.deepEqual(parseSearch('"mail:a:b"'), term('mail', 'a:b'));
    assert.deepEqual(parseSearch('"10:30"'), term(null, '10:30'));
  });

  test('escaped quotes and backslashes inside a clause', () => {
    assert.deepEqual(parseSearch('"displayName:say \\"hi\\""'), term('displayName', 'say "hi"'));
    assert.deepEqual(parseSearch('"displayName:a\\\\b"'), term('displayName', 'a\\b'));
  });

  test('OR and AND, AND binding tighter, in any case', () => {
    assert.deepEqual(parseSearch('"displayName:john" OR "mail:john"'), { kind: 'or', left: term('displayName', 'john'), right: term('mail', 'john') });
    assert.deepEqual(parseSearch('"a:1" or "b:2" and "c:3"'), {
      kind: 'or',
      left: term('a', '1'),
      right: { kind: 'and', left: term('b', '2'), right: term('c', '3') },
    });
    assert.deepEqual(parseSearch('"a:1" AND "b:2" OR "c:3"'), {
      kind: 'or',
      left: { kind: 'and', left: term('a', '1'), right: term('b', '2') },
      right: term('c', '3'),
    });
  });

  const rejects = (text: string, fragment: string) =>
    assert.throws(
      () => parseSearch(text),
      (error: any) => error.kind === 'badRequest' && error.message.startsWith('Invalid $search syntax: ') && error.message.includes(fragment),
    );

  test('malformed input', () => {
    rejects('', 'it is empty');
    rejects('   ', 'it is empty');
    rejects('john', `'john' at position 0 is not quoted`);
    rejects('displayName:john', 'is not quoted');
    rejects('"displayName:john', 'unterminated quoted clause starting at position 0');
    rejects('"a:1" "b:2"', 'expected AND or OR between clauses at position 6');
    rejects('"a:1" OR', 'expected a quoted clause after OR but found the end');
    rejects('"a:1" AND OR "b:2"', 'expected a quoted clause after AND but found OR');
    rejects('OR "a:1"', 'expected a quoted clause but found OR');
    rejects('"displayName:"', 'the clause "displayName:" has no search term');
    rejects('""', 'has no search term');
    rejects('"displayName:..."', "the search term '...' has no letters or digits");
    rejects('("a:1")', "'(' at position 0 is not quoted");
    rejects('"a:1" NOT "b:2"', "'NOT' at position 6 is not quoted");
  });
});
