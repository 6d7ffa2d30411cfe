// Label selectors as apimachinery's labels.Parse reads and matches them.

import {
  labelsOf,
  matchesLabels,
  parseLabelSelector,
  SelectorSyntaxError,
} from '../../../src/parse/label-selector.js';
import { nodeObject } from '../../helpers/k8s-objects.js';

const NODE = labelsOf(
  nodeObject('worker-1', { labels: { pool: 'db', rank: '3', 'node-role.kubernetes.io/worker': '' } }),
);

describe('parseLabelSelector + matchesLabels', () => {
  it.each([
    ['', true],
    ['pool=db', true],
    ['pool==db', true],
    ['pool!=db', false],
    ['gpu!=yes', true],
    ['pool in (db,web)', true],
    ['pool in (web)', false],
    ['pool notin (web)', true],
    ['gpu notin (a)', true],
    ['pool', true],
    ['!pool', false],
    ['!gpu', true],
    ['node-role.kubernetes.io/worker', true],
    ['node-role.kubernetes.io/worker=', true],
    ['kubernetes.io/os=linux,pool=db', true],
    ['kubernetes.io/os=linux,pool=web', false],
    ['rank>2', true],
    ['rank<3', false],
    ['pool>1', false],
    [' pool = db , kubernetes.io/hostname in ( worker-1 ) ', true],
  ])('%j on a real-shaped node → %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), NODE)).toBe(expected);
  });

  it('in/notin values are a set; a trailing comma adds the empty value', () => {
    expect(parseLabelSelector('a in (z,y,z)')).toEqual([{ key: 'a', operator: 'in', values: ['y', 'z'] }]);
    expect(parseLabelSelector('a notin (x,)')).toEqual([{ key: 'a', operator: 'notin', values: ['', 'x'] }]);
  });

  it.each([
    ['a in (b', 'expected "," or ")"'],
    ['a in ()', 'needs at least one value'],
    ['a b', 'unexpected "b" after the label key "a"'],
    ['a=b,', 'expected a requirement after ","'],
    ['=b', 'expected a label key, found "="'],
    ['a>b', 'must be an integer'],
    ['Bad_Prefix/x=y', 'the prefix must be a DNS subdomain'],
    [`a=${'v'.repeat(64)}`, 'invalid label value'],
    ['a=b c', 'expected "," between requirements'],
  ])('%j is rejected: %s', (selector, why) => {
    expect(() => parseLabelSelector(selector)).toThrow(SelectorSyntaxError);
    expect(() => parseLabelSelector(selector)).toThrow(why);
  });
});
