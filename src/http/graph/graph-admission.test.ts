import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Turnstile } from './graph-admission.ts';

describe('Turnstile', () => {
  test('admits at most `limit` at once, in arrival order', async () => {
    const gate = new Turnstile(1);
    const order: string[] = [];
    let inside = 0;
    const visit = async (name: string) => {
      await gate.enter();
      inside++;
      assert.equal(inside, 1, 'one at a time');
      order.push(name);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inside--;
      gate.leave();
    };
    await Promise.all([visit('a'), visit('b'), visit('c')]);
    assert.deepEqual(order, ['a', 'b', 'c']);
  });

  test('a larger limit admits that many together', async () => {
    const gate = new Turnstile(3);
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        await gate.enter();
        most = Math.max(most, ++inside);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inside--;
        gate.leave();
      }),
    );
    assert.equal(most, 3);
  });
});
